(function(){let e=document.createElement(`link`).relList;if(e&&e.supports&&e.supports(`modulepreload`))return;for(let e of document.querySelectorAll(`link[rel="modulepreload"]`))n(e);new MutationObserver(e=>{for(let t of e)if(t.type===`childList`)for(let e of t.addedNodes)e.tagName===`LINK`&&e.rel===`modulepreload`&&n(e)}).observe(document,{childList:!0,subtree:!0});function t(e){let t={};return e.integrity&&(t.integrity=e.integrity),e.referrerPolicy&&(t.referrerPolicy=e.referrerPolicy),t.credentials=e.crossOrigin===`use-credentials`?`include`:e.crossOrigin===`anonymous`?`omit`:`same-origin`,t}function n(e){if(e.ep)return;e.ep=!0;let n=t(e);fetch(e.href,n)}})();var e,t,n,r,i,a,o,s,c,l,u=Symbol.for(`pv`),d={},f=[],p=/^m(i|n|o|s|text|space)$/,m=Array.isArray,h=f.slice,g=Object.assign;function _(e){e&&e.parentNode&&e.remove()}function v(n,r,i,a,o){var s={type:n,props:r,key:i,ref:a,__k:null,__:null,__b:0,__e:null,__c:null,constructor:u,__v:o||++t,__i:-1,__u:0};return!o&&e.vnode&&e.vnode(s),s}function y(e){return e.children}function b(e,t){this.props=e,this.context=t,this.__g=0}function x(e,t){if(t==null)return e.__&&x(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!=`function`||e.props.__P?null:x(e)}function S(t){var n,r=t.__v,i=r.__e,a=[],o=[],s=t.__P;s&&((n=g({constructor:u},r)).__v=r.__v+1,e.vnode&&e.vnode(n),j(s,n,r,t.__n,s.namespaceURI,32&r.__u?[i]:null,a,i||x(r),32&r.__u,o),n.__v=r.__v,n.__.__k[n.__i]=n,M(a,n,o),r.__=r.__e=null,n.__e!=i&&C(n))}function C(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),C(e)}function w(t){(8&t.__g||(t.__g|=8,n.push(t),i++))&&r==e.debounceRendering||((r=e.debounceRendering)||queueMicrotask)(T)}function T(){try{for(var e,t=1;n.length;)n.length>t&&n.sort(a),e=n.shift(),t=n.length,8&e.__g&&S(e)}finally{(i=n.length)&&(r||queueMicrotask)(T)}}function ee(e,t,n,r,i,a,o,s,c,l,u){var p,m,h,g,_,v,y=r.__k||f,b=t.length;for(c=E(n,t,y,c,b),p=0;p<b;p++)(h=n.__k[p])!=null&&(m=~h.__i&&y[h.__i]||d,h.__i=p,v=j(e,h,m,i,a,o,s,c,l,u),g=h.__e,(m.ref!=h.ref||8&m.__u)&&(m.ref&&ae(m.ref,null,h,m),h.ref&&u.push(h.ref,h.__c||g,h)),_||=g,4&h.__u?(c=D(h,c,e,!m.__v),m.__e&&(m.__e=null)):typeof h.type==`function`&&v!==void 0?c=v:g&&(c=g.nextSibling),h.__u&=-21);return n.__e=_,c}function E(e,t,n,r,i){var a,o,s,c,l,d,f,p,h,g=n.length,_=g,b=0,S=0,C=e.__k=Array(i);for(a=0;a<i;a++)(o=t[a])!=null&&typeof o!=`boolean`&&typeof o!=`function`?(typeof o!=`object`||o.constructor===String?o=C[a]=v(null,o):m(o)?o=C[a]=v(y,{children:o}):o.constructor===u&&o.__b?o=C[a]=v(o.type,o.props,o.key,o.ref,o.__v):C[a]=o,c=a+b,o.__=e,o.__b=e.__b+1,s=null,~(l=o.__i=O(o,n,c,_))&&(_--,(s=n[l])&&(s.__u|=2)),s&&s.__v?(o.__u|=16,l==c-1?b--:l==c+1?b++:l!=c&&(l>c?b--:b++,S=1)):(~l||(i>g?b--:i<g&&b++),typeof o.type!=`function`&&(o.__u|=4))):C[a]=null;if(S){for(d=[],f=[],a=0;a<i;a++)if((o=C[a])&&16&o.__u){for(b=0,p=d.length;b<p;)d[h=b+p>>1]<o.__i?b=h+1:p=h;d[b]=o.__i,f[a]=b+1}for(b=d.length;a--;)f[a]&&(f[a]==b?b--:C[a].__u|=4)}if(_)for(a=0;a<g;a++)!(s=n[a])||2&s.__u||(s.__e==r&&(r=x(s)),oe(s,s));return r}function D(e,t,n,r){var i,a,o,s;if(typeof e.type==`function`){if(e.props.__P)return t;if(i=e.__k)for(a=0;a<i.length;a++)i[a]&&(i[a].__=e,t=D(i[a],t,n,!1));return t}for(t&&!t.parentNode&&(t=x(e))&&!t.parentNode&&(t=null),o=e.__e,s=t;s&&s.nodeType==8;)s=s.nextSibling;for(o!=s&&(!r&&n.moveBefore&&o.parentNode?n.moveBefore(o,t):n.insertBefore(o,t||null)),t=o;(t&&=t.nextSibling)&&t.nodeType==8&&!t.data.startsWith(`$s`););return t}function O(e,t,n,r){var i,a=e.key,o=e.type,s=t[n],c=s&&!(2&s.__u);if(s===null&&a==null||c&&a==s.key&&o==s.type)return n;if(r>+!!c){for(i=n-1;i>=0;i--)if((s=t[i])&&!(2&s.__u)&&a==s.key&&o==s.type)return i;for(i=n+1;i<t.length;i++)if((s=t[i])&&!(2&s.__u)&&a==s.key&&o==s.type)return i}return-1}function k(e,t,n){n??=``,t[0]==`-`?e.setProperty(t,n):e[t]=n}function A(e,t,n,r,i){var a,o;if(t==`style`){if(typeof n==`string`)e.style.cssText=n;else{if(typeof r==`string`&&(e.style.cssText=r=``),r)for(t in r)n&&t in n||k(e.style,t);if(n)for(t in n)r&&n[t]==r[t]||k(e.style,t,n[t])}}else if(t[0]==`o`&&t[1]==`n`)typeof n!=`function`&&(n=null),typeof r!=`function`&&(r=null),(e.__e||={})[t]=n,n&&r||(o=l[t]||(l[t]=te(t)),(e.__a||={})[t]=c,a=t!=(t=t.replace(s,`$1`)),(t=t.slice(2))[0]<`a`&&(t=t.toLowerCase()),n?e.addEventListener(t,o,a):e.removeEventListener(t,o,a));else{if(i==`http://www.w3.org/2000/svg`)t=t.replace(/xlink(H|:h)/,`h`).replace(/sName$/,`s`);else if(t!=`width`&&t!=`height`&&t!=`href`&&t!=`list`&&t!=`form`&&t!=`tabIndex`&&t!=`download`&&t!=`rowSpan`&&t!=`colSpan`&&t!=`role`&&t!=`popover`&&t in e)try{e[t]=n??``;return}catch{}if(typeof n==`function`)return;n==null||!1===n&&t[4]!=`-`?e.removeAttribute(t):e.setAttribute(t,t==`popover`&&n==1?``:n)}}function te(t){return function(n){var r=this.__e;if(r){if(r=r[t],n[o]==null)n[o]=c++;else if(n[o]<this.__a[t])return;return r(e.event?e.event(n):n)}}}function j(t,n,r,i,a,o,s,c,l,d){var p,h,v,S,C,w,T,E,D,O,k,A,te,j,M,ae,N,P,F=n.type;if(n.constructor!==u)return null;128&r.__u&&(l=32&r.__u,p=r.__c.__z)&&(n.__u|=l,h=o=[],p.nodeType==8?c=ne(p,o):o.push(p),c=o[0]||c),(p=e.__b)&&p(n);e:if(typeof F==`function`){v=s.length;try{if(E=n.props,D=(p=F.prototype)&&p.render,O=(p=F.contextType)&&i[p.__c],k=p?O?O.props.value:p.__:i,(S=r.__c)?(n.__c=S,2&S.__g&&(S.__g|=1)):(D?n.__c=S=new F(E,k):(n.__c=S=new b(E,k),S.constructor=F,S.render=se),O&&O.sub(S),S.state||(S.state={}),S.__n=i,S.__g|=8,S.__h=[],S.__k=[]),D&&(S.__s||(S.__s=S.state),F.getDerivedStateFromProps&&(S.__s==S.state&&(S.__s=g({},S.__s)),g(S.__s,F.getDerivedStateFromProps(E,S.__s)))),C=S.props,w=S.state,S.__v=n,r.__c){if(E!==C&&D&&!F.getDerivedStateFromProps&&S.componentWillReceiveProps&&S.componentWillReceiveProps(E,k),n.__v==r.__v&&!(8&S.__g)||!(4&S.__g)&&S.shouldComponentUpdate&&!1===S.shouldComponentUpdate(E,S.__s,k)){n.__v!=r.__v&&(S.props=E,S.state=S.__s,S.__g&=-9),n.__e=r.__e,n.__k=r.__k,n.__k.some(function(e){e&&(e.__=n)}),f.push.apply(S.__h,S.__k),S.__k=[],S.__h.length&&s.push(S),c=x(r);break e}S.componentWillUpdate&&S.componentWillUpdate(E,S.__s,k),D&&S.componentDidUpdate&&S.__h.push(function(){S.componentDidUpdate(C,w,T)})}else D&&!F.getDerivedStateFromProps&&S.componentWillMount&&S.componentWillMount(),D&&S.componentDidMount&&S.__h.push(S.componentDidMount);S.context=k,S.props=E,S.__P=t,S.__g&=-5,A=e.__r,te=D?25:0;do S.__g&=-9,A&&A(n),p=S.render(S.props,S.state=S.__s,S.context);while(8&S.__g&&++te<25);D&&(f.push.apply(S.__h,S.__k),S.__k=[]),S.state=S.__s,S.getChildContext&&(i=g({},i,S.getChildContext())),D&&r.__c&&S.getSnapshotBeforeUpdate&&(T=S.getSnapshotBeforeUpdate(C,w)),j=p&&p.type===y&&p.key==null?p.props.children:p,E.__P&&(p=c,a=(t=E.__P).namespaceURI,l=o=null,r.props&&r.props.__P!=t&&(r.__k.some(function(e){e&&oe(e,e)}),r.__k=null),c=r.__k?x(r,0):null),c=ee(t,m(j)?j:[j],n,r,i,a,o,s,c,l,d),E.__P&&(n.__e=null,c=p),n.__u&=-161,h&&h.some(_),S.__h.length&&s.push(S),1&S.__g&&(S.__g&=-4)}catch(t){if(s.length=v,n.__v=null,l||o){if(t&&t.then){if(n.__u|=128|l,o){for(~(N=o.indexOf(c||void 0))||(N=o.length);(P=o[N-1])&&P.nodeType==8;)N--;for(;N<o.length;N++)if(P=o[N]){if(o[N]=null,M){if(P==ae)break}else{if(P.nodeType!=8)break;P.data.startsWith(`$s`)&&(ae=ne(M=P))}}}if(!M){for(;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;M=c}(p=ne(M=n.__c.__z||(n.__c.__z=M)))?(n.__e=M,c=p):n.__e=c,c&&=c.nextSibling}else o&&o.some(_)}else n.__e=r.__e;n.__k||=r.__k||[],t&&t.then||re(n),e.__e(t,n,r)}}else c=n.__e=ie(r.__e,n,r,i,a,o,s,l,d,t);return(p=e.diffed)&&p(n),c}function ne(e,t){if(e&&e.nodeType==8&&e.data.startsWith(`$s`))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith(`$s`))n++;else if(e.data.startsWith(`/$s`)&&!--n)return e}t&&t.push(e)}}function re(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(re))}function M(t,n,r){for(var i=0;i<r.length;)ae(r[i++],r[i++],r[i++]);e.__c&&e.__c(n,t),t.some(function(n){try{t=n.__h,n.__h=[],t.some(function(e){e.call(n)})}catch(t){e.__e(t,n.__v)}})}function ie(t,n,r,i,a,o,s,c,l,u){var f,g,v,y,b,S,C,w,T=r.props||d,E=n.props,D=n.type;if(D==`svg`?a=`http://www.w3.org/2000/svg`:D==`math`?a=`http://www.w3.org/1998/Math/MathML`:a||=`http://www.w3.org/1999/xhtml`,o){for(f=0;f<o.length;f++)if((b=o[f])&&(D?b.localName==D:b.nodeType==3)){t=b,o[f]=null;break}}if(!t){if(w=u.ownerDocument||document,!D)return w.createTextNode(E);t=w.createElementNS(a,D,E.is?E:u),c&&=(e.__m&&e.__m(n,o),!1),o=null}if(D){if(u=D==`template`&&t.content||t,o=D==`textarea`&&E.defaultValue!=null?null:o&&h.call(u.childNodes),!c&&o)for(T={},f=0;f<t.attributes.length;f++)T[(b=t.attributes[f]).name]=b.value;for(f in T)b=T[f],f==`dangerouslySetInnerHTML`?v=b:f==`children`||f in E||f==`value`&&`defaultValue`in E||f==`checked`&&`defaultChecked`in E||A(t,f,null,b,a);for(f in E)b=E[f],f==`children`?y=b:f==`dangerouslySetInnerHTML`?g=b:f==`value`?S=b:f==`checked`?C=b:c&&typeof b!=`function`||T[f]===b||A(t,f,b,T[f],a);g?(c||v&&(g.__html==v.__html||g.__html==t.innerHTML)||(t.innerHTML=g.__html),n.__k=[]):(v&&(t.textContent=``),(D==`foreignObject`||a==`http://www.w3.org/1998/Math/MathML`&&p.test(D))&&(a=`http://www.w3.org/1999/xhtml`),ee(u,m(y)?y:[y],n,r,i,a,o,s,o?o[0]:r.__k&&x(r,0),c,l),o&&o.some(_)),c&&D!=`textarea`||(f=`value`,D==`progress`&&S==null?t.removeAttribute(f):S==null||S===t[f]&&(D!=`progress`||S)||A(t,f,S,T[f],a),f=`checked`,C!=null&&C!=t[f]&&A(t,f,C,T[f],a))}else T===E||c&&t.data==E||(t.data=E);return t}function ae(t,n,r,i){try{typeof t==`function`?n?n.__x=t(n)||1:(i&&=i.__c||i.__e)&&(n=i.__x)&&(i.__x=null,typeof n==`function`?n():t(null)):t.current=n}catch(t){e.__e(t,r)}}function oe(t,n,r){var i,a,o,s;if(e.unmount&&e.unmount(t),!(i=t.ref)||i.current&&i.current!=t.__e||ae(i,null,n,t),i=t.__c){if(i.componentWillUnmount)try{i.componentWillUnmount()}catch(t){e.__e(t,n)}i.__P=i.__n=null}if(i=t.__k)for(s=0;s<i.length;s++)i[s]&&oe(i[s],n,typeof t.type!=`function`||r&&!t.props.__P);!r&&(i=t.__c)&&(i=i.__z)&&(a=ne(i,o=[]))&&(i==t.__e&&o.some(_),_(a),_(i)),r||_(t.__e),t.__e=t.__c=t.__=null}function se(e,t,n){return this.constructor(e,n)}function N(t,n){var r,i,a,o;e.__&&e.__(t,n),n.nodeType==9&&(n=n.documentElement),i=(r=t&&32&t.__u)?null:n.__k,n.__k=v(y,{children:[t]}),a=[],o=[],j(n,n.__k,i||d,d,n.namespaceURI,i?null:n.firstChild?h.call(n.childNodes):null,a,i?i.__e:n.firstChild,r,o),M(a,n.__k,o),n.__k.props.children=null}e={__e:function(e,t,n,r){for(var a,o,s;t=t.__;)if((a=t.__c)&&!(1&a.__g)){a.__g|=4;try{if((s=(o=a.constructor)&&o.getDerivedStateFromError)&&a.setState(o.getDerivedStateFromError(e)),a.componentDidCatch&&(a.componentDidCatch(e,r||{}),s=1),s&&8&a.__g)return void(a.__g|=2)}catch(t){e=t}}throw i=0,e}},t=0,b.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=g({},this.state)),typeof e==`function`&&(e=e(g({},n),this.props)),e&&(g(n,e),this.__v&&(t&&this.__k.push(t),w(this)))},b.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),w(this))},b.prototype.render=y,n=[],i=0,a=function(e,t){return e.__v.__b-t.__v.__b},o=Symbol(),s=/(PointerCapture)$|Capture$/i,c=0,l={};var P,F,ce,le,ue=Object.is,de=0,fe=[],pe=[],I=e,me=I.__b,he=I.__r,ge=I.diffed,_e=I.__c,ve=I.unmount,ye=I.__;function be(e,t){I.__h&&I.__h(F,e,de||t),de=0;var n=F.__H||(F.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function L(e){return de=1,xe(je,e)}function xe(e,t,n){var r=be(P++,2);if(r.t=e,!r.__c&&(r.__=[n?n(t):je(void 0,t),function(e){var t=(r.__N||r.__)[0],n=r.t(t,e);ue(t,n)||(r.__N=[n,r.__[1]],r.__c.setState({}))}],r.__c=F,!F.__f)){F.__f=!0;var i=F.shouldComponentUpdate;F.shouldComponentUpdate=function(e,t,n){var r=this.__H;if(!r)return!0;var a=!1,o=this.props!=e;if(r.__.some(function(e){e.__N&&(a=!0,ue(e.__[0],e.__N[0])||(o=!0))}),i){var s=i.call(this,e,t,n);return a?s||o:s}return!a||o}}return r.__}function R(e,t){var n=be(P++,3);!I.__s&&Ae(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,F.__H.__h.push(n))}function z(e){return de=5,Se(function(){return{current:e}},[])}function Se(e,t){var n=be(P++,7);return Ae(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function Ce(e,t){return de=8,Se(function(){return e},t)}function we(){var e;do{for(;e=pe.shift();)try{Oe(e)}catch(t){I.__e(t,{__:(e=e.__P)&&e.__v})}for(;e=fe.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(Oe),t.__h.some(ke),t.__h=[]}catch(n){t.__h=[],I.__e(n,e.__v)}}}while(pe.length)}I.__b=function(e){F=null,me&&me(e)},I.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),ye&&ye(e,t)},I.__r=function(e){he&&he(e),P=0;var t=(F=e.__c).__H;t&&(ce==F?F.__h=[]:(t.__h.some(Oe),t.__h.some(ke),P=0),t.__h=[],t.__.some(function(e){e.__N&&(e.__=e.__N),e.u=e.__N=void 0})),ce=F},I.diffed=function(e){ge&&ge(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&De(fe.push(t)),t.__H.__.some(function(e){e.u&&(e.__H=e.u)})),ce=F=null},I.__c=function(e,t){t.some(function(e){try{e.__h.some(Oe),e.__h=e.__h.filter(function(e){return!e.__||ke(e)})}catch(t){e.__h=[function(){throw t}]}}),_e&&_e(e,t)},I.unmount=function(e){ve&&ve(e);var t,n,r=e.__c;r&&r.__H&&(r.__H.__.some(function(r){try{if(r.__P&&r.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n&&=n.__c}r.__P=n,De(pe.push(r))}else Oe(r)}catch(e){t=e}}),r.__H=void 0,t&&I.__e(t,r.__v))};var Te=typeof requestAnimationFrame==`function`;function Ee(e){var t,n=function(){clearTimeout(r),Te&&cancelAnimationFrame(t),setTimeout(e)},r=setTimeout(n,35);Te&&(t=requestAnimationFrame(n))}function De(e){e!=1&&le==I.requestAnimationFrame||((le=I.requestAnimationFrame)||Ee)(we)}function Oe(e){var t=F,n=e.__c;typeof n==`function`&&(e.__c=void 0,n()),F=t}function ke(e){var t=F;e.__c=e.__(),F=t}function Ae(e,t){return!e||e.length!=t.length||t.some(function(t,n){return!ue(t,e[n])})}function je(e,t){return typeof t==`function`?t(e):t}function B(e){return e===null?`null`:Array.isArray(e)?`array`:typeof e}function V(e){return B(e)===`object`}function Me(e){return Array.isArray(e)&&e.length>0&&e.every(e=>`message`in e)}function Ne(e,t){return e.length<124?e:t}var H=(e=>(e[e.InternalServerError=4500]=`InternalServerError`,e[e.InternalClientError=4005]=`InternalClientError`,e[e.BadRequest=4400]=`BadRequest`,e[e.BadResponse=4004]=`BadResponse`,e[e.Unauthorized=4401]=`Unauthorized`,e[e.Forbidden=4403]=`Forbidden`,e[e.SubprotocolNotAcceptable=4406]=`SubprotocolNotAcceptable`,e[e.ConnectionInitialisationTimeout=4408]=`ConnectionInitialisationTimeout`,e[e.ConnectionAcknowledgementTimeout=4504]=`ConnectionAcknowledgementTimeout`,e[e.SubscriberAlreadyExists=4409]=`SubscriberAlreadyExists`,e[e.TooManyInitialisationRequests=4429]=`TooManyInitialisationRequests`,e))(H||{}),U=(e=>(e.ConnectionInit=`connection_init`,e.ConnectionAck=`connection_ack`,e.Ping=`ping`,e.Pong=`pong`,e.Subscribe=`subscribe`,e.Next=`next`,e.Error=`error`,e.Complete=`complete`,e))(U||{});function Pe(e){if(!V(e))throw Error(`Message is expected to be an object, but got ${B(e)}`);if(!e.type)throw Error(`Message is missing the 'type' property`);if(typeof e.type!=`string`)throw Error(`Message is expects the 'type' property to be a string, but got ${B(e.type)}`);switch(e.type){case`connection_init`:case`connection_ack`:case`ping`:case`pong`:if(e.payload!=null&&!V(e.payload))throw Error(`"${e.type}" message expects the 'payload' property to be an object or nullish or missing, but got "${e.payload}"`);break;case`subscribe`:if(typeof e.id!=`string`)throw Error(`"${e.type}" message expects the 'id' property to be a string, but got ${B(e.id)}`);if(!e.id)throw Error(`"${e.type}" message requires a non-empty 'id' property`);if(!V(e.payload))throw Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${B(e.payload)}`);if(typeof e.payload.query!=`string`)throw Error(`"${e.type}" message payload expects the 'query' property to be a string, but got ${B(e.payload.query)}`);if(e.payload.variables!=null&&!V(e.payload.variables))throw Error(`"${e.type}" message payload expects the 'variables' property to be a an object or nullish or missing, but got ${B(e.payload.variables)}`);if(e.payload.operationName!=null&&B(e.payload.operationName)!==`string`)throw Error(`"${e.type}" message payload expects the 'operationName' property to be a string or nullish or missing, but got ${B(e.payload.operationName)}`);if(e.payload.extensions!=null&&!V(e.payload.extensions))throw Error(`"${e.type}" message payload expects the 'extensions' property to be a an object or nullish or missing, but got ${B(e.payload.extensions)}`);break;case`next`:if(typeof e.id!=`string`)throw Error(`"${e.type}" message expects the 'id' property to be a string, but got ${B(e.id)}`);if(!e.id)throw Error(`"${e.type}" message requires a non-empty 'id' property`);if(!V(e.payload))throw Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${B(e.payload)}`);break;case`error`:if(typeof e.id!=`string`)throw Error(`"${e.type}" message expects the 'id' property to be a string, but got ${B(e.id)}`);if(!e.id)throw Error(`"${e.type}" message requires a non-empty 'id' property`);if(!Me(e.payload))throw Error(`"${e.type}" message expects the 'payload' property to be an array of GraphQL errors, but got ${JSON.stringify(e.payload)}`);break;case`complete`:if(typeof e.id!=`string`)throw Error(`"${e.type}" message expects the 'id' property to be a string, but got ${B(e.id)}`);if(!e.id)throw Error(`"${e.type}" message requires a non-empty 'id' property`);break;default:throw Error(`Invalid message 'type' property "${e.type}"`)}return e}function Fe(e,t){return Pe(typeof e==`string`?JSON.parse(e,t):e)}function Ie(e,t){return Pe(e),JSON.stringify(e,t)}function Le(e){let{url:t,connectionParams:n,lazy:r=!0,onNonLazyError:i=console.error,lazyCloseTimeout:a=0,keepAlive:o=0,disablePong:s,connectionAckWaitTimeout:c=0,retryAttempts:l=5,retryWait:u=async function(e){let t=2**e;await new Promise(e=>setTimeout(e,t*1e3+Math.floor(Math.random()*2700+300)))},shouldRetry:d=ze,on:f,webSocketImpl:p,generateID:m=function(){return`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.replace(/[xy]/g,e=>{let t=Math.random()*16|0;return(e==`x`?t:t&3|8).toString(16)})},jsonMessageReplacer:h,jsonMessageReviver:g}=e,_;if(p){if(!Ve(p))throw Error(`Invalid WebSocket implementation provided`);_=p}else typeof WebSocket<`u`?_=WebSocket:typeof global<`u`?_=global.WebSocket||global.MozWebSocket:typeof window<`u`&&(_=window.WebSocket||window.MozWebSocket);if(!_)throw Error("WebSocket implementation missing; on Node you can `import WebSocket from 'ws';` and pass `webSocketImpl: WebSocket` to `createClient`");let v=_,y=(()=>{let e=(()=>{let e={};return{on(t,n){return e[t]=n,()=>{delete e[t]}},emit(t){`id`in t&&e[t.id]?.(t)}}})(),t={connecting:f?.connecting?[f.connecting]:[],opened:f?.opened?[f.opened]:[],connected:f?.connected?[f.connected]:[],ping:f?.ping?[f.ping]:[],pong:f?.pong?[f.pong]:[],message:f?.message?[e.emit,f.message]:[e.emit],closed:f?.closed?[f.closed]:[],error:f?.error?[f.error]:[]};return{onMessage:e.on,on(e,n){let r=t[e];return r.push(n),()=>{let e=r.indexOf(n);e>-1&&r.splice(e,1)}},emit(e,...n){for(let r of[...t[e]])r(...n)}}})();function b(e){let t=[y.on(`error`,n=>{t.forEach(e=>e()),e(n)}),y.on(`closed`,n=>{t.forEach(e=>e()),e(n)})];return()=>t.forEach(e=>e())}let x,S=0,C,w=!1,T=0,ee=!1;async function E(){clearTimeout(C);let[e,r]=await(x??=new Promise((e,r)=>(async()=>{if(w){if(await u(T),!S)return x=void 0,r({code:1e3,reason:`All Subscriptions Gone`});T++}y.emit(`connecting`,w);let i=new v(typeof t==`function`?await t():t,`graphql-transport-ws`),a,l;function d(){isFinite(o)&&o>0&&(clearTimeout(l),l=setTimeout(()=>{i.readyState===v.OPEN&&(i.send(Ie({type:U.Ping})),y.emit(`ping`,!1,void 0))},o))}b(e=>{x=void 0,clearTimeout(a),clearTimeout(l),r(e),e instanceof Re&&(i.close(4499,`Terminated`),i.onerror=null,i.onclose=null)}),i.onerror=e=>y.emit(`error`,e),i.onclose=e=>y.emit(`closed`,e),i.onopen=async()=>{try{y.emit(`opened`,i);let e=typeof n==`function`?await n():n;if(i.readyState!==v.OPEN)return;i.send(Ie(e?{type:U.ConnectionInit,payload:e}:{type:U.ConnectionInit},h)),isFinite(c)&&c>0&&(a=setTimeout(()=>{i.close(H.ConnectionAcknowledgementTimeout,`Connection acknowledgement timeout`)},c)),d()}catch(e){y.emit(`error`,e),i.close(H.InternalClientError,Ne(e instanceof Error?e.message:String(e),`Internal client error`))}};let f=!1;i.onmessage=({data:t})=>{try{let n=Fe(t,g);if(y.emit(`message`,n),n.type===`ping`||n.type===`pong`){y.emit(n.type,!0,n.payload),n.type===`pong`?d():s||(i.send(Ie(n.payload?{type:U.Pong,payload:n.payload}:{type:U.Pong},h)),y.emit(`pong`,!1,n.payload));return}if(f)return;if(n.type!==U.ConnectionAck)throw Error(`First message cannot be of type ${n.type}`);clearTimeout(a),f=!0,y.emit(`connected`,i,n.payload,w),w=!1,T=0;let r=new Promise((e,t)=>b(t));r.catch(()=>{}),e([i,r])}catch(e){i.onmessage=null,y.emit(`error`,e),i.close(H.BadResponse,Ne(e instanceof Error?e.message:String(e),`Bad response`))}}})()));e.readyState===v.CLOSING&&await r;let i=()=>{},l=new Promise(e=>i=e);return[e,i,new Promise((t,n)=>{let i=b(n);e.readyState!==v.OPEN&&r.catch(n),l.then(()=>{if(i(),!S){let t=()=>e.close(1e3,`Normal Closure`);isFinite(a)&&a>0?(clearTimeout(C),C=setTimeout(()=>{!S&&e.readyState===v.OPEN&&t()},a)):t()}t()})})]}function D(e){if(ze(e)&&(Be(e.code)||[H.InternalServerError,H.InternalClientError,H.BadRequest,H.BadResponse,H.Unauthorized,H.SubprotocolNotAcceptable,H.SubscriberAlreadyExists,H.TooManyInitialisationRequests].includes(e.code)))throw e;if(ee)return!1;if(ze(e)&&e.code===1e3)return S>0;if(!l||T>=l||!d(e))throw e;return w=!0}r||(async()=>{for(S++;;)try{let[,,e]=await E();await e}catch(e){try{if(!D(e))return}catch(e){return i?.(e)}}})();function O(e,t){let n=m(e),r=!1,i=!1,a=()=>{S--,r=!0};return(async()=>{for(S++;;)try{let[o,s,c]=await E();if(r)return c.catch(()=>{}),s();let l=y.onMessage(n,e=>{switch(e.type){case U.Next:t.next(e.payload);return;case U.Error:i=!0,r=!0,t.error(e.payload),a();return;case U.Complete:r=!0,a();return}});o.send(Ie({id:n,type:U.Subscribe,payload:e},h)),a=()=>{!r&&o.readyState===v.OPEN&&o.send(Ie({id:n,type:U.Complete},h)),S--,r=!0,s()},await c.finally(l);return}catch(e){if(!D(e))return}})().then(()=>{i||t.complete()}).catch(e=>{t.error(e)}),()=>{r||a()}}return{on:y.on,subscribe:O,iterate(e){let t=[],n={done:!1,error:null,resolve:()=>{}},r=O(e,{next(e){t.push(e),n.resolve()},error(e){n.done=!0,n.error=e,n.resolve()},complete(){n.done=!0,n.resolve()}}),i=async function*(){for(;;){for(t.length||await new Promise(e=>n.resolve=e);t.length;)yield t.shift();if(n.error)throw n.error;if(n.done)return}}();return i.throw=async e=>(n.done||(n.done=!0,n.error=e,n.resolve()),{done:!0,value:void 0}),i.return=async()=>(r(),{done:!0,value:void 0}),i},async dispose(){if(ee=!0,x){let[e]=await x;e.close(1e3,`Normal Closure`)}},terminate(){x&&y.emit(`closed`,new Re)}}}var Re=class extends Error{name=`TerminatedCloseEvent`;message=`4499: Terminated`;code=4499;reason=`Terminated`;wasClean=!1};function ze(e){return V(e)&&`code`in e&&`reason`in e}function Be(e){return![1e3,1001,1006,1005,1012,1013,1014].includes(e)&&e>=1e3&&e<=1999}function Ve(e){return typeof e==`function`&&`constructor`in e&&`CLOSED`in e&&`CLOSING`in e&&`CONNECTING`in e&&`OPEN`in e}var He=`orchestrator.token`,Ue={google:`/auth/google/login`,demo:`/auth/demo`,refresh:`/auth/refresh`,logout:`/auth/logout`};function We(){return document.querySelector(`meta[name="orchestrator-demo-user"]`)?.content??``}var W=new class{token=sessionStorage.getItem(He)??``;headers(){return this.token?{Authorization:`Bearer ${this.token}`}:{}}useToken(e){this.token=e.trim().replace(/^Bearer\s+/i,``),sessionStorage.setItem(He,this.token)}async refresh(){if(this.token)return!1;try{return(await fetch(Ue.refresh,{method:`POST`,credentials:`same-origin`})).ok}catch{return!1}}async enterDemo(){let e;try{e=await fetch(Ue.demo,{method:`POST`,credentials:`same-origin`})}catch{throw Error(`You are offline: check your connection and try again.`)}if(!e.ok){if(e.status===404)throw Error(`Demo mode is off on this server.`);let t=await e.json().catch(()=>({})),n=t?.errors?.[0]?.message??t?.error?.message??t?.message??``;throw Error(n?`Demo sign-in failed: ${n}`:`Demo sign-in failed (HTTP ${e.status}); try again.`)}this.forget()}async signOut(){let e=!!this.token;this.forget(),e||await fetch(Ue.logout,{method:`POST`,credentials:`same-origin`}).catch(()=>void 0)}forget(){this.token=``,sessionStorage.removeItem(He)}},G=class extends Error{kind;retryAfter;loginUrl;constructor(e,t,n=0,r=``){super(t),this.kind=e,this.retryAfter=n,this.loginUrl=r}};function Ge(e){let t=e[0]??{message:`unknown error`},n=t.extensions?.code??``,r=t.message;switch(n){case`UNAUTHENTICATED`:return new G(`signedOut`,r);case`REAUTH_REQUIRED`:return new G(`reauth`,r,0,t.extensions?.loginUrl??``);case`FORBIDDEN`:return new G(/reauthori|reconnect|authorised again/i.test(r)?`reauth`:`input`,r);case`RATE_LIMITED`:return new G(`rateLimited`,r,t.extensions?.retryAfterSeconds??0);case`NOT_FOUND`:return new G(`notFound`,r);case`BAD_USER_INPUT`:case`INVALID_CURSOR`:case`CONFLICT`:case`GRAPHQL_VALIDATION_FAILED`:return new G(`input`,r)}return new G(`server`,r)}function Ke(e){if(!(e instanceof G))return{title:`Something went wrong.`,action:`Try again.`};switch(e.kind){case`signedOut`:return{title:`You are signed out.`,action:`Sign in again to continue.`};case`reauth`:return{title:`Google needs reconnecting.`,action:`Reconnect your Google account; nothing synced is lost.`};case`rateLimited`:return{title:`Too many requests for now.`,action:e.retryAfter>0?`Try again in ${qe(e.retryAfter)}.`:`Wait a little and try again.`};case`offline`:return{title:`You are offline.`,action:`Check your connection; the app retries when it is back.`};case`notFound`:return{title:`That item is gone.`,action:`It may have been deleted; go back to the list.`};case`input`:return{title:Je(e.message)+(/[.!?]$/.test(e.message)?``:`.`),action:`Change the request and try again.`};case`server`:return{title:`The server had a problem.`,action:`Try again in a moment.`}}}function qe(e){return e<90?`${Math.ceil(e)} seconds`:`${Math.ceil(e/60)} minutes`}function Je(e){return e.charAt(0).toUpperCase()+e.slice(1)}var Ye=new Set;function Xe(e){return Ye.add(e),()=>Ye.delete(e)}function Ze(e){return(e.kind===`signedOut`||e.kind===`reauth`)&&Ye.forEach(t=>t(e)),e}async function K(e,t,n=!1){let r;try{r=await fetch(`/graphql`,{method:`POST`,credentials:`same-origin`,headers:{"content-type":`application/json`,accept:`application/json`,...W.headers()},body:JSON.stringify({query:e.toString(),variables:t??{}})})}catch{throw new G(`offline`,`network unreachable`)}let i={};try{i=await r.json()}catch{throw Ze(Qe(r))}if(i.errors?.length){let r=Ge(i.errors);if(r.kind===`signedOut`&&!n&&await W.refresh())return K(e,t,!0);throw Ze(r)}if(!r.ok||!i.data)throw Ze(Qe(r));return i.data}function Qe(e){return e.status===401?new G(`signedOut`,`signed out`):e.status===429?new G(`rateLimited`,`rate limited`,Number(e.headers.get(`retry-after`)??0)):e.status===502||e.status===503||e.status===504?new G(`offline`,`server unreachable`):new G(`server`,`HTTP ${e.status}`)}var $e=null;function et(){if(!$e){let e=new URL(`/graphql`,location.href);e.protocol=e.protocol===`https:`?`wss:`:`ws:`,$e=Le({url:e.href,lazy:!0,connectionParams:()=>W.headers(),retryAttempts:5,shouldRetry:()=>!0,retryWait:async e=>{await W.refresh(),await new Promise(t=>setTimeout(t,Math.min(1e3*2**e,1e4)*(.5+Math.random()/2)))}})}return $e}function tt(){$e?.dispose(),$e=null}function nt(e,t,n,r){return et().subscribe({query:e.toString(),variables:t},{next:e=>{e.errors?.length?r(Ze(Ge(e.errors))):e.data&&n(e.data)},error:e=>{Array.isArray(e)?r(Ze(Ge(e))):e instanceof CloseEvent&&e.code===4403?r(Ze(new G(`signedOut`,`signed out`))):r(new G(navigator.onLine?`server`:`offline`,`the live connection was lost`))},complete:()=>r()})}var q=class extends String{__apiType;value;__meta__;constructor(e,t){super(e),this.value=e,this.__meta__=t}toString(){return this.value}},rt=new q(`
    fragment ActionFields on Action {
  id
  stepId
  kind
  service
  summary
  status
  result
  error
}
    `,{fragmentName:`ActionFields`}),it=new q(`
    fragment StepFields on StepResult {
  stepId
  service
  operation
  status
  error
  reason
  durationMs
  items {
    service
    kind
    itemId
    nodeId
    title
    snippet
    at
  }
  actions {
    ...ActionFields
  }
}
    fragment ActionFields on Action {
  id
  stepId
  kind
  service
  summary
  status
  result
  error
}`,{fragmentName:`StepFields`}),at={"\n  query Me {\n    me { id email displayName timeZone needsReauth googleConnected scopes lastSyncAt }\n  }\n":new q(`
    query Me {
  me {
    id
    email
    displayName
    timeZone
    needsReauth
    googleConnected
    scopes
    lastSyncAt
  }
}
    `),"\n  query SyncStatuses {\n    syncStatus { service state lastSyncAt itemCount error updatedAt }\n  }\n":new q(`
    query SyncStatuses {
  syncStatus {
    service
    state
    lastSyncAt
    itemCount
    error
    updatedAt
  }
}
    `),"\n  subscription SyncProgress {\n    syncProgress { service state lastSyncAt itemCount error updatedAt }\n  }\n":new q(`
    subscription SyncProgress {
  syncProgress {
    service
    state
    lastSyncAt
    itemCount
    error
    updatedAt
  }
}
    `),"\n  mutation SyncNow($service: Service!) {\n    syncNow(service: $service) { service state lastSyncAt itemCount error updatedAt }\n  }\n":new q(`
    mutation SyncNow($service: Service!) {
  syncNow(service: $service) {
    service
    state
    lastSyncAt
    itemCount
    error
    updatedAt
  }
}
    `),"\n  query Conversations($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      edges { node { id title updatedAt messageCount } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n":new q(`
    query Conversations($first: Int, $after: String) {
  conversations(first: $first, after: $after) {
    edges {
      node {
        id
        title
        updatedAt
        messageCount
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `),"\n  fragment ActionFields on Action { id stepId kind service summary status result error }\n":rt,"\n  fragment StepFields on StepResult {\n    stepId service operation status error reason durationMs\n    items { service kind itemId nodeId title snippet at }\n    actions { ...ActionFields }\n  }\n":it,"\n  query Conversation($id: ID!, $after: String) {\n    conversation(id: $id) {\n      id title\n      messages(first: 50, after: $after) {\n        edges {\n          node {\n            id query status response error\n            plan { id service operation }\n            stepResults { ...StepFields }\n            actions { ...ActionFields }\n            citations { service itemId title url }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n":new q(`
    query Conversation($id: ID!, $after: String) {
  conversation(id: $id) {
    id
    title
    messages(first: 50, after: $after) {
      edges {
        node {
          id
          query
          status
          response
          error
          plan {
            id
            service
            operation
          }
          stepResults {
            ...StepFields
          }
          actions {
            ...ActionFields
          }
          citations {
            service
            itemId
            title
            url
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment ActionFields on Action {
  id
  stepId
  kind
  service
  summary
  status
  result
  error
}
fragment StepFields on StepResult {
  stepId
  service
  operation
  status
  error
  reason
  durationMs
  items {
    service
    kind
    itemId
    nodeId
    title
    snippet
    at
  }
  actions {
    ...ActionFields
  }
}`),"\n  mutation Ask($input: AskInput!) {\n    ask(input: $input) {\n      message { id query status }\n      conversation { id title }\n    }\n  }\n":new q(`
    mutation Ask($input: AskInput!) {
  ask(input: $input) {
    message {
      id
      query
      status
    }
    conversation {
      id
      title
    }
  }
}
    `),"\n  subscription Answer($messageId: ID!) {\n    answer(messageId: $messageId) {\n      type seq status detail stepId token text error messageStatus\n      step { ...StepFields }\n      action { ...ActionFields }\n      citations { service itemId title url }\n    }\n  }\n":new q(`
    subscription Answer($messageId: ID!) {
  answer(messageId: $messageId) {
    type
    seq
    status
    detail
    stepId
    token
    text
    error
    messageStatus
    step {
      ...StepFields
    }
    action {
      ...ActionFields
    }
    citations {
      service
      itemId
      title
      url
    }
  }
}
    fragment ActionFields on Action {
  id
  stepId
  kind
  service
  summary
  status
  result
  error
}
fragment StepFields on StepResult {
  stepId
  service
  operation
  status
  error
  reason
  durationMs
  items {
    service
    kind
    itemId
    nodeId
    title
    snippet
    at
  }
  actions {
    ...ActionFields
  }
}`),"\n  mutation ConfirmAction($messageId: ID!, $actionId: String!) {\n    confirmAction(messageId: $messageId, actionId: $actionId) { action { ...ActionFields } }\n  }\n":new q(`
    mutation ConfirmAction($messageId: ID!, $actionId: String!) {
  confirmAction(messageId: $messageId, actionId: $actionId) {
    action {
      ...ActionFields
    }
  }
}
    fragment ActionFields on Action {
  id
  stepId
  kind
  service
  summary
  status
  result
  error
}`),"\n  mutation RejectAction($messageId: ID!, $actionId: String!) {\n    rejectAction(messageId: $messageId, actionId: $actionId) { action { ...ActionFields } }\n  }\n":new q(`
    mutation RejectAction($messageId: ID!, $actionId: String!) {
  rejectAction(messageId: $messageId, actionId: $actionId) {
    action {
      ...ActionFields
    }
  }
}
    fragment ActionFields on Action {
  id
  stepId
  kind
  service
  summary
  status
  result
  error
}`),"\n  mutation CancelAsk($messageId: ID!) {\n    cancelAsk(messageId: $messageId) { message { id status } }\n  }\n":new q(`
    mutation CancelAsk($messageId: ID!) {
  cancelAsk(messageId: $messageId) {
    message {
      id
      status
    }
  }
}
    `),"\n  query Emails($filter: EmailFilter, $first: Int, $after: String) {\n    emails(filter: $filter, first: $first, after: $after) {\n      edges { cursor node { id subject snippet receivedAt unread hasAttachment labels from { name email } } }\n      pageInfo { hasNextPage endCursor }\n      totalCount\n    }\n  }\n":new q(`
    query Emails($filter: EmailFilter, $first: Int, $after: String) {
  emails(filter: $filter, first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        subject
        snippet
        receivedAt
        unread
        hasAttachment
        labels
        from {
          name
          email
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    totalCount
  }
}
    `),"\n  query Events($filter: EventFilter, $first: Int, $after: String) {\n    events(filter: $filter, first: $first, after: $after) {\n      edges { cursor node { id title start end allDay location attendees { email name } } }\n      pageInfo { hasNextPage endCursor }\n      totalCount\n    }\n  }\n":new q(`
    query Events($filter: EventFilter, $first: Int, $after: String) {
  events(filter: $filter, first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        title
        start
        end
        allDay
        location
        attendees {
          email
          name
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    totalCount
  }
}
    `),"\n  query Files($filter: FileFilter, $first: Int, $after: String) {\n    files(filter: $filter, first: $first, after: $after) {\n      edges { cursor node { id name mimeType preview modifiedAt owners } }\n      pageInfo { hasNextPage endCursor }\n      totalCount\n    }\n  }\n":new q(`
    query Files($filter: FileFilter, $first: Int, $after: String) {
  files(filter: $filter, first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        name
        mimeType
        preview
        modifiedAt
        owners
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    totalCount
  }
}
    `),"\n  query Search($query: String!, $first: Int) {\n    search(query: $query, first: $first) {\n      text\n      filters {\n        services from to labels after before attendees mimeTypes hasAttachment unread\n        sources { field words start end }\n      }\n      hits {\n        score\n        legs { leg rank }\n        item {\n          __typename\n          ... on Email { id subject snippet receivedAt from { name email } }\n          ... on Event { id title start end location }\n          ... on File { id name mimeType modifiedAt preview }\n        }\n      }\n    }\n  }\n":new q(`
    query Search($query: String!, $first: Int) {
  search(query: $query, first: $first) {
    text
    filters {
      services
      from
      to
      labels
      after
      before
      attendees
      mimeTypes
      hasAttachment
      unread
      sources {
        field
        words
        start
        end
      }
    }
    hits {
      score
      legs {
        leg
        rank
      }
      item {
        __typename
        ... on Email {
          id
          subject
          snippet
          receivedAt
          from {
            name
            email
          }
        }
        ... on Event {
          id
          title
          start
          end
          location
        }
        ... on File {
          id
          name
          mimeType
          modifiedAt
          preview
        }
      }
    }
  }
}
    `),"\n  query Node($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Email {\n        id subject body receivedAt labels hasAttachment threadId\n        from { name email } to { name email } cc { name email }\n      }\n      ... on Event {\n        id title description location start end allDay timeZone organizer status htmlLink\n        attendees { email name responseStatus organizer }\n      }\n      ... on File {\n        id name mimeType preview owners modifiedAt webViewLink parentFolder trashed\n        properties { key value }\n      }\n    }\n  }\n":new q(`
    query Node($id: ID!) {
  node(id: $id) {
    __typename
    ... on Email {
      id
      subject
      body
      receivedAt
      labels
      hasAttachment
      threadId
      from {
        name
        email
      }
      to {
        name
        email
      }
      cc {
        name
        email
      }
    }
    ... on Event {
      id
      title
      description
      location
      start
      end
      allDay
      timeZone
      organizer
      status
      htmlLink
      attendees {
        email
        name
        responseStatus
        organizer
      }
    }
    ... on File {
      id
      name
      mimeType
      preview
      owners
      modifiedAt
      webViewLink
      parentFolder
      trashed
      properties {
        key
        value
      }
    }
  }
}
    `)};function J(e){return at[e]??{}}var ot=J(`
  query Me {
    me { id email displayName timeZone needsReauth googleConnected scopes lastSyncAt }
  }
`),st=J(`
  query SyncStatuses {
    syncStatus { service state lastSyncAt itemCount error updatedAt }
  }
`),ct=J(`
  subscription SyncProgress {
    syncProgress { service state lastSyncAt itemCount error updatedAt }
  }
`),lt=J(`
  mutation SyncNow($service: Service!) {
    syncNow(service: $service) { service state lastSyncAt itemCount error updatedAt }
  }
`),ut=J(`
  query Conversations($first: Int, $after: String) {
    conversations(first: $first, after: $after) {
      edges { node { id title updatedAt messageCount } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);J(`
  fragment ActionFields on Action { id stepId kind service summary status result error }
`),J(`
  fragment StepFields on StepResult {
    stepId service operation status error reason durationMs
    items { service kind itemId nodeId title snippet at }
    actions { ...ActionFields }
  }
`);var dt=J(`
  query Conversation($id: ID!, $after: String) {
    conversation(id: $id) {
      id title
      messages(first: 50, after: $after) {
        edges {
          node {
            id query status response error
            plan { id service operation }
            stepResults { ...StepFields }
            actions { ...ActionFields }
            citations { service itemId title url }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`),ft=J(`
  mutation Ask($input: AskInput!) {
    ask(input: $input) {
      message { id query status }
      conversation { id title }
    }
  }
`),pt=J(`
  subscription Answer($messageId: ID!) {
    answer(messageId: $messageId) {
      type seq status detail stepId token text error messageStatus
      step { ...StepFields }
      action { ...ActionFields }
      citations { service itemId title url }
    }
  }
`),mt=J(`
  mutation ConfirmAction($messageId: ID!, $actionId: String!) {
    confirmAction(messageId: $messageId, actionId: $actionId) { action { ...ActionFields } }
  }
`),ht=J(`
  mutation RejectAction($messageId: ID!, $actionId: String!) {
    rejectAction(messageId: $messageId, actionId: $actionId) { action { ...ActionFields } }
  }
`),gt=J(`
  mutation CancelAsk($messageId: ID!) {
    cancelAsk(messageId: $messageId) { message { id status } }
  }
`),_t=J(`
  query Emails($filter: EmailFilter, $first: Int, $after: String) {
    emails(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id subject snippet receivedAt unread hasAttachment labels from { name email } } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`),vt=J(`
  query Events($filter: EventFilter, $first: Int, $after: String) {
    events(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id title start end allDay location attendees { email name } } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`),yt=J(`
  query Files($filter: FileFilter, $first: Int, $after: String) {
    files(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id name mimeType preview modifiedAt owners } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`),bt=J(`
  query Search($query: String!, $first: Int) {
    search(query: $query, first: $first) {
      text
      filters {
        services from to labels after before attendees mimeTypes hasAttachment unread
        sources { field words start end }
      }
      hits {
        score
        legs { leg rank }
        item {
          __typename
          ... on Email { id subject snippet receivedAt from { name email } }
          ... on Event { id title start end location }
          ... on File { id name mimeType modifiedAt preview }
        }
      }
    }
  }
`),xt=J(`
  query Node($id: ID!) {
    node(id: $id) {
      __typename
      ... on Email {
        id subject body receivedAt labels hasAttachment threadId
        from { name email } to { name email } cc { name email }
      }
      ... on Event {
        id title description location start end allDay timeZone organizer status htmlLink
        attendees { email name responseStatus organizer }
      }
      ... on File {
        id name mimeType preview owners modifiedAt webViewLink parentFolder trashed
        properties { key value }
      }
    }
  }
`),St=Symbol.for(`pv`),Ct=0;Array.isArray;function Y(t,n,r,i,a,o){n||={};var s,c,l=n;if(`ref`in l&&typeof t!=`function`)for(c in l={},n)c==`ref`?s=n[c]:l[c]=n[c];var u={type:t,props:l,key:r,ref:s,__k:null,__:null,__b:0,__e:null,__c:null,constructor:St,__v:--Ct,__i:-1,__u:0};return(a||o)&&(u.__source=a,u.__self=o),e.vnode&&e.vnode(u),u}function wt({expired:e,onIn:t}){let n=We(),[r,i]=L(``),[a,o]=L(``);return Y(`main`,{class:`center signin`,children:[Y(`h1`,{children:`Workspace Orchestrator`}),Y(`p`,{class:`lede`,children:`Ask about your Gmail, Calendar and Drive in plain words, and act on the answers.`}),e&&Y(`p`,{class:`problem`,role:`alert`,children:[Y(`strong`,{children:`You are signed out.`}),` Sign in again to continue.`]}),Y(`a`,{class:`button primary`,href:Ue.google,children:`Sign in with Google`}),n&&Y(`button`,{type:`button`,class:`button`,onClick:()=>W.enterDemo().then(t,e=>i(e.message)),children:[`Enter the demo as `,n]}),r&&Y(`p`,{class:`problem`,role:`alert`,children:r}),Y(`details`,{children:[Y(`summary`,{children:`Use an operator token`}),Y(`form`,{onSubmit:e=>{e.preventDefault(),W.useToken(a),t()},children:[Y(`label`,{for:`token`,children:[`Token from `,Y(`code`,{children:`orchestrator token --email …`})]}),Y(`input`,{id:`token`,name:`token`,type:`password`,autocomplete:`off`,required:!0,value:a,onInput:e=>o(e.currentTarget.value)}),Y(`button`,{type:`submit`,children:`Use token`})]})]})]})}function Tt(e){let[t,n=``]=e.replace(/^#\/?/,``).split(`?`),[r,...i]=t.split(`/`),a=i.length?decodeURIComponent(i.join(`/`)):void 0;switch(r){case`mail`:case`calendar`:case`files`:return{view:r};case`item`:if(a)return{view:`item`,id:a};break;case`search`:return{view:`search`,q:new URLSearchParams(n).get(`q`)??``};case`chat`:return{view:`chat`,id:a}}return{view:`chat`}}function X(e){switch(e.view){case`chat`:return e.id?`#/chat/${encodeURIComponent(e.id)}`:`#/chat`;case`item`:return`#/item/${encodeURIComponent(e.id)}`;case`search`:return`#/search?${new URLSearchParams({q:e.q})}`;default:return`#/${e.view}`}}function Et(e){location.hash=X(e)}function Dt(){let[e,t]=L(()=>Tt(location.hash));return R(()=>{let e=()=>t(Tt(location.hash));return addEventListener(`hashchange`,e),()=>removeEventListener(`hashchange`,e)},[]),e}var Ot=new Intl.DateTimeFormat(void 0,{dateStyle:`medium`,timeStyle:`short`}),kt=new Intl.DateTimeFormat(void 0,{dateStyle:`medium`});function Z(e,t=!1){if(!e)return``;let n=new Date(e);return(t?kt:Ot).format(n)}function At(e,t=Date.now()){if(!e)return`never`;let n=Math.round((t-new Date(e).getTime())/1e3);return n<45?`just now`:n<3600?`${Math.round(n/60)} min ago`:n<86400?`${Math.round(n/3600)} h ago`:kt.format(new Date(e))}var jt={GMAIL:`Gmail`,CALENDAR:`Calendar`,DRIVE:`Drive`};function Mt(e){return e.name?`${e.name} <${e.email}>`:e.email}function Nt(e){return{"application/vnd.google-apps.document":`Document`,"application/vnd.google-apps.spreadsheet":`Spreadsheet`,"application/vnd.google-apps.presentation":`Presentation`,"application/vnd.google-apps.folder":`Folder`,"application/pdf":`PDF`,"text/plain":`Text`,"text/markdown":`Markdown`,"text/csv":`CSV`}[e]??(e.startsWith(`image/`)?`Image`:e)}var Pt=[[``,`Any type`],[`application/vnd.google-apps.document`,`Documents`],[`application/vnd.google-apps.spreadsheet`,`Spreadsheets`],[`application/vnd.google-apps.presentation`,`Presentations`],[`application/pdf`,`PDFs`],[`text/plain`,`Text files`],[`text/markdown`,`Markdown`]];function Q({error:e,retry:t,onSignIn:n}){let{title:r,action:i}=Ke(e),a=e instanceof G?e.kind:`server`;return Y(`div`,{class:`problem`,role:`alert`,children:[Y(`p`,{children:[Y(`strong`,{children:r}),` `,i]}),a===`reauth`&&Y(`a`,{class:`button`,href:e.loginUrl||Ue.google,children:`Reconnect Google`}),a===`signedOut`&&n&&Y(`button`,{type:`button`,onClick:n,children:`Sign in`}),t&&a!==`signedOut`&&a!==`reauth`&&Y(`button`,{type:`button`,onClick:t,children:`Try again`})]})}var Ft=e=>e===`PENDING`||e===`RUNNING`;function It(e){let t=t=>{let n=e.plan.find(e=>e.id===t);return n?`${jt[n.service]}: ${n.operation}`:t};return{id:e.id,query:e.query,status:e.status,progress:``,steps:e.stepResults.map(e=>({stepId:e.stepId,label:t(e.stepId),result:e})),text:e.response,actions:e.actions,citations:e.citations,error:e.error,seq:0}}async function Lt(e){let t=[],n=null;for(;;){let r=(await K(dt,{id:e,after:n})).conversation.messages;if(t.push(...r.edges.map(e=>It(e.node))),!r.pageInfo.hasNextPage||!r.pageInfo.endCursor)return t;n=r.pageInfo.endCursor}}function Rt(e,t){if(t.seq>0&&t.seq<=e.seq)return e;switch(e={...e,seq:Math.max(e.seq,t.seq)},t.type){case`STATUS`:return t.stepId||(e.progress=t.detail||t.status||``),e.status===`PENDING`&&(e.status=`RUNNING`),t.stepId&&!e.steps.some(e=>e.stepId===t.stepId)&&(e.steps=[...e.steps,{stepId:t.stepId,label:t.detail||t.stepId}]),e;case`STEP_RESULT`:{let n=t.step,r=`${jt[n.service]}: ${n.operation}`;return e.steps=e.steps.some(e=>e.stepId===n.stepId)?e.steps.map(e=>e.stepId===n.stepId?{stepId:e.stepId,label:r,result:n}:e):[...e.steps,{stepId:n.stepId,label:r,result:n}],e}case`TOKEN`:return e.text+=t.token??``,e.progress=``,e;case`ACTION_PROPOSED`:return e.actions=zt(e.actions,t.action),e;case`DONE`:return e.text=t.text??e.text,e.citations=t.citations??e.citations,e.status=t.messageStatus??`DONE`,e.progress=``,e;case`ERROR`:return e.error=t.error??`The ask failed.`,e.status=t.messageStatus??`FAILED`,e.progress=``,e}return e}function zt(e,t){return e.some(e=>e.id===t.id)?e.map(e=>e.id===t.id?t:e):[...e,t]}function Bt({conversationId:e,onConversation:t}){let[n,r]=L([]),[i,a]=L(),[o,s]=L(!1),[c,l]=L(``),u=z(new Map),d=z(void 0),f=z(null),p=z(!0),m=z(null),h=(e,t)=>r(n=>n.map(n=>n.id===e?t(n):n)),g=e=>{if(u.current.has(e))return;let t=nt(pt,{messageId:e},t=>h(e,e=>Rt(e,t.answer)),t=>{u.current.delete(e),t&&h(e,e=>Ft(e.status)?{...e,error:`The live answer was interrupted; reload the conversation to see it.`,progress:``}:e)});u.current.set(e,t)};R(()=>()=>u.current.forEach(e=>e()),[]),R(()=>{a(void 0),e&&e===d.current||(u.current.forEach(e=>e()),u.current.clear(),d.current=e,r([]),e?(s(!0),Lt(e).then(e=>{s(!1),r(e.map(e=>Ft(e.status)?{...e,text:``,steps:[]}:e)),e.filter(e=>Ft(e.status)).forEach(e=>g(e.id))},e=>{s(!1),a(e)})):m.current?.focus())},[e]),R(()=>{let e=f.current;e&&p.current&&(e.scrollTop=e.scrollHeight)},[n]);let _=n.find(e=>Ft(e.status)),v=async e=>{a(void 0);try{let n=await K(ft,{input:{query:e,conversationId:d.current??null,clientRequestId:crypto.randomUUID?.()??String(Date.now())}}),i=n.ask.message;r(e=>[...e,{id:i.id,query:i.query,status:i.status,progress:`Starting…`,steps:[],text:``,actions:[],citations:[],error:``,seq:0}]),g(i.id),p.current=!0,d.current!==n.ask.conversation.id&&(d.current=n.ask.conversation.id,Et({view:`chat`,id:n.ask.conversation.id})),t(),l(``)}catch(e){a(e)}},y=async(e,t,n)=>{h(e.id,e=>({...e,actions:zt(e.actions,{...t,status:t.status,result:n?`Working…`:``})}));try{let r={messageId:e.id,actionId:t.id},i=n?(await K(mt,r)).confirmAction.action:(await K(ht,r)).rejectAction.action;h(e.id,e=>({...e,actions:zt(e.actions,i)}))}catch(n){h(e.id,e=>({...e,actions:zt(e.actions,t)})),a(n)}},b=e=>K(gt,{messageId:e.id}).then(t=>h(e.id,e=>({...e,status:t.cancelAsk.message.status,progress:``})),a);return Y(`div`,{class:`chat`,children:[Y(`h1`,{class:`sr`,children:`Ask`}),Y(`div`,{class:`turns`,ref:f,role:`log`,"aria-label":`Conversation`,"aria-busy":!!_,onScroll:e=>{let t=e.currentTarget;p.current=t.scrollHeight-t.scrollTop-t.clientHeight<80},children:[o&&Y(`p`,{role:`status`,children:`Loading the conversation…`}),!o&&!n.length&&!e&&Y(Ht,{onPick:v}),n.map(e=>Y(Wt,{turn:e,onDecide:(t,n)=>y(e,t,n)},e.id))]}),i?Y(Q,{error:i}):null,Y(`form`,{class:`composer`,onSubmit:e=>{e.preventDefault(),c.trim()&&!_&&v(c.trim())},children:[Y(`label`,{for:`ask`,class:`sr`,children:n.length?`Ask a follow-up`:`Ask about your mail, calendar and files`}),Y(`textarea`,{id:`ask`,ref:m,rows:2,placeholder:n.length?`Ask a follow-up…`:`Ask about your mail, calendar and files…`,value:c,onInput:e=>l(e.currentTarget.value),onKeyDown:e=>{e.key===`Enter`&&!e.shiftKey&&(e.preventDefault(),e.currentTarget.form?.requestSubmit())}}),_?Y(`button`,{type:`button`,class:`danger`,onClick:()=>b(_),children:`Stop`}):Y(`button`,{type:`submit`,class:`primary`,disabled:!c.trim(),children:`Send`})]})]})}var Vt=[`What is on my calendar next week?`,`Emails about the budget from last month`,`Find the latest design documents`];function Ht({onPick:e}){return Y(`div`,{class:`welcome`,children:[Y(`h2`,{children:`What would you like to know?`}),Y(`p`,{class:`muted`,children:`Ask about your mail, calendar and files. Anything that would send, change or share is shown to you first.`}),Y(`ul`,{class:`examples`,children:Vt.map(t=>Y(`li`,{children:Y(`button`,{type:`button`,onClick:()=>e(t),children:t})},t))})]})}var Ut={SUCCEEDED:`done`,FAILED:`failed`,SKIPPED:`skipped`,CANCELLED:`cancelled`};function Wt({turn:e,onDecide:t}){let n=new Map;e.steps.forEach(e=>e.result?.items.forEach(e=>e.nodeId&&n.set(e.itemId,e.nodeId)));let r=Ft(e.status);return Y(`article`,{class:`turn`,"aria-label":`Ask: ${e.query}`,children:[Y(`p`,{class:`you`,children:[Y(`span`,{class:`sr`,children:`You asked: `}),e.query]}),Y(`div`,{class:`assistant`,children:[e.steps.length>0&&Y(`details`,{class:`steps`,open:r,children:[Y(`summary`,{children:[e.steps.length,` step`,e.steps.length>1?`s`:``]}),Y(`ol`,{children:e.steps.map(e=>Y(`li`,{class:`step ${e.result?Ut[e.result.status]:`running`}`,children:[Y(`span`,{children:e.label}),` `,Y(`span`,{class:`muted small`,children:e.result?e.result.status===`SUCCEEDED`?`${e.result.items.length} item${e.result.items.length===1?``:`s`} · ${Math.round(e.result.durationMs)} ms`:`${Ut[e.result.status]}${e.result.error||e.result.reason?`: `+(e.result.error||e.result.reason):``}`:`running…`})]},e.stepId))})]}),r&&e.progress&&Y(`p`,{class:`progress muted`,role:`status`,children:e.progress}),Y(`div`,{class:`answer`,"aria-live":`polite`,"aria-busy":r,children:[Y(Gt,{text:e.text,citations:e.citations,nodes:n}),r&&e.text&&Y(`span`,{class:`cursor`,"aria-hidden":`true`})]}),e.actions.map(e=>Y(qt,{action:e,onDecide:n=>t(e,n)},e.id)),e.citations.length>0&&Y(`div`,{class:`citations`,children:[Y(`h3`,{class:`small`,children:`Sources`}),Y(`ul`,{children:e.citations.map(e=>{let t=n.get(e.itemId);return Y(`li`,{children:[t?Y(`a`,{href:X({view:`item`,id:t}),children:e.title||e.itemId}):e.url?Y(`a`,{href:e.url,target:`_blank`,rel:`noreferrer`,children:e.title||e.itemId}):e.title,` `,Y(`span`,{class:`muted small`,children:jt[e.service]??e.service})]},e.itemId)})})]}),e.status===`CANCELLED`&&Y(`p`,{class:`muted`,children:`Stopped.`}),e.status===`FAILED`&&e.error&&Y(`p`,{class:`problem`,role:`alert`,children:[Y(`strong`,{children:`This ask failed.`}),` `,e.error]})]})]})}function Gt({text:e,citations:t,nodes:n}){return Y(y,{children:e.split(/(\[\d+\])/).map((e,r)=>{let i=/^\[(\d+)\]$/.exec(e),a=i?t[Number(i[1])-1]:void 0,o=a&&n.get(a.itemId);return o?Y(`a`,{href:X({view:`item`,id:o}),title:a.title,"aria-label":`source ${i[1]}: ${a.title}`,children:e},r):e})})}var Kt={SEND_EMAIL:`Send email`,CREATE_EVENT:`Create event`,UPDATE_EVENT:`Change event`,DELETE_EVENT:`Delete event`,SHARE_FILE:`Share file`};function qt({action:e,onDecide:t}){let n=e.status===`PROPOSED`&&e.result===`Working…`;return Y(`section`,{class:`action action-${e.status.toLowerCase()}`,"aria-label":`Proposed action: ${Kt[e.kind]??e.kind}`,children:[Y(`h3`,{children:Kt[e.kind]??e.kind}),Y(`p`,{class:`summary`,children:e.summary}),e.status===`PROPOSED`&&Y(`div`,{class:`buttons`,children:[Y(`button`,{type:`button`,class:`primary`,disabled:n,onClick:()=>t(!0),children:n?`Working…`:`Confirm`}),Y(`button`,{type:`button`,disabled:n,onClick:()=>t(!1),children:`Reject`})]}),Y(`p`,{role:`status`,class:`outcome`,children:[e.status===`EXECUTED`&&Y(y,{children:[`Done`,e.result?`: ${e.result}`:`.`]}),e.status===`REJECTED`&&`Rejected: nothing was done.`,e.status===`FAILED`&&Y(y,{children:[`It failed: `,e.error,` `,Y(`button`,{type:`button`,class:`small`,onClick:()=>t(!0),children:`Try again`})]})]})]})}function Jt(e,t,n=!1){let r=JSON.stringify(t),[i,a]=L({loading:!n}),[o,s]=L(0);R(()=>{if(n)return;let r=!0;return a(e=>({data:e.data,loading:!0})),K(e,t).then(e=>r&&a({data:e,loading:!1}),e=>r&&a({error:e,loading:!1})),()=>{r=!1}},[r,o,n]);let c=Ce(()=>s(e=>e+1),[]);return{...i,reload:c}}function Yt({active:e,version:t}){let{data:n,error:r,reload:i}=Jt(ut,{first:30}),[a,o]=L([]),[s,c]=L();R(()=>{t&&i()},[t]),R(()=>o([]),[n]);let l=a.at(-1)??n?.conversations,u=[n?.conversations,...a].flatMap(e=>e?.edges??[]);return Y(`section`,{class:`history`,"aria-labelledby":`history-h`,children:[Y(`div`,{class:`section-head`,children:[Y(`h2`,{id:`history-h`,children:`Conversations`}),Y(`a`,{class:`button small`,href:`#/chat`,children:`New chat`})]}),r?Y(Q,{error:r,retry:i}):null,n&&!u.length&&Y(`p`,{class:`muted`,children:`No conversations yet.`}),Y(`ul`,{children:u.map(({node:t})=>Y(`li`,{children:Y(`a`,{href:X({view:`chat`,id:t.id}),"aria-current":t.id===e?`page`:void 0,children:[Y(`span`,{class:`title`,children:t.title||`Untitled`}),Y(`span`,{class:`muted small`,children:At(t.updatedAt)})]})},t.id))}),s?Y(Q,{error:s}):null,l?.pageInfo.hasNextPage&&Y(`button`,{type:`button`,class:`small`,onClick:()=>K(ut,{first:30,after:l.pageInfo.endCursor}).then(e=>o(t=>[...t,e.conversations]),c),children:`Show older`})]})}var Xt={IDLE:`Up to date`,RUNNING:`Syncing…`,FAILED:`Sync failed`,RATE_LIMITED:`Google asked to wait`,REAUTH_REQUIRED:`Needs reconnecting`,NEVER_SYNCED:`Not synced yet`};function Zt({me:e,onReauth:t}){let[n,r]=L([]),[i,a]=L(),[o,s]=L(0);R(()=>{let e=e=>r(t=>t.some(t=>t.service===e.service)?t.map(t=>t.service===e.service?e:t):[...t,e]);return K(st).then(e=>r(e.syncStatus),a),nt(ct,{},t=>e(t.syncProgress),e=>e&&a(e))},[o]);let c=n.some(e=>e.state===`REAUTH_REQUIRED`);R(()=>{c&&t()},[c]);let l=e=>{a(void 0),K(lt,{service:e}).then(t=>r(n=>n.map(n=>n.service===e?t.syncNow:n)),a)};return Y(`section`,{class:`sync`,"aria-labelledby":`sync-h`,children:[Y(`h2`,{id:`sync-h`,children:`Connected services`}),Y(`p`,{class:`small muted account`,children:e.googleConnected?Y(y,{children:[`Google account `,Y(`strong`,{children:e.email}),` connected`,e.scopes.length?` (${Qt(e.scopes)})`:``,`.`]}):Y(y,{children:[`Google is not connected.`,` `,Y(`a`,{class:`button small`,href:Ue.google,children:`Connect Google`})]})}),i?Y(Q,{error:i,retry:()=>{a(void 0),s(o+1)}}):null,Y(`ul`,{children:n.map(e=>Y(`li`,{class:`sync-${e.state.toLowerCase()}`,"aria-label":`${jt[e.service]}: ${Xt[e.state]}`,children:[Y(`div`,{class:`sync-line`,children:[Y(`strong`,{children:jt[e.service]}),Y(`span`,{class:`badge`,children:Xt[e.state]})]}),e.state===`RUNNING`&&Y(`progress`,{"aria-label":`${jt[e.service]} sync in progress`}),Y(`div`,{class:`muted small`,"aria-live":`polite`,children:[e.itemCount.toLocaleString(),` items · synced `,At(e.lastSyncAt)]}),e.state===`FAILED`&&Y(`details`,{class:`small error-text`,children:[Y(`summary`,{children:`It is retried by itself.`}),e.error]}),Y(`button`,{type:`button`,class:`small`,disabled:e.state===`RUNNING`||e.state===`REAUTH_REQUIRED`,onClick:()=>l(e.service),children:[`Sync now`,Y(`span`,{class:`sr`,children:[` `,jt[e.service]]})]})]},e.service))})]})}function Qt(e){return[[`gmail`,`Gmail`],[`calendar`,`Calendar`],[`drive`,`Drive`]].filter(([t])=>e.some(e=>e.includes(t))).map(([,e])=>e).join(`, `)||`no services`}var $t={words:``,from:``,labels:``,attendees:``,owner:``,type:``,after:``,before:``,unread:!1,attachment:!1},en=25,tn={mail:`Mail`,calendar:`Calendar`,files:`Files`},$=e=>e.split(`,`).map(e=>e.trim()).filter(Boolean),nn=(e,t=!1)=>e?new Date(`${e}T00:00:00`).getTime()+(t?864e5:0):0,rn=e=>e?new Date(e).toISOString():null;async function an(e,t,n){let r={after:rn(nn(t.after)),before:rn(nn(t.before,!0)),query:t.words||null};if(e===`mail`){let e=(await K(_t,{filter:{...r,from:$(t.from).length?$(t.from):null,labels:$(t.labels).length?$(t.labels).map(e=>e.toUpperCase()):null,unread:t.unread||null,hasAttachment:t.attachment||null},first:en,after:n})).emails;return{rows:e.edges.map(({node:e})=>({id:e.id,title:e.subject||`(no subject)`,meta:`${Mt(e.from)} · ${Z(e.receivedAt)}`,snippet:e.snippet,unread:e.unread})),next:e.pageInfo.hasNextPage?e.pageInfo.endCursor??null:null,total:e.totalCount}}if(e===`calendar`){let e=(await K(vt,{filter:{...r,attendees:$(t.attendees).length?$(t.attendees):null},first:en,after:n})).events;return{rows:e.edges.map(({node:e})=>({id:e.id,title:e.title||`(no title)`,meta:`${Z(e.start,e.allDay)}${e.location?` · `+e.location:``}`,snippet:e.attendees.map(e=>e.name||e.email).join(`, `)})),next:e.pageInfo.hasNextPage?e.pageInfo.endCursor??null:null,total:e.totalCount}}let i=(await K(yt,{filter:{...r,mimeTypes:t.type?[t.type]:null,owners:$(t.owner).length?$(t.owner):null},first:en,after:n})).files;return{rows:i.edges.map(({node:e})=>({id:e.id,title:e.name,meta:`${Nt(e.mimeType)} · ${Z(e.modifiedAt)} · ${e.owners.join(`, `)}`,snippet:e.preview})),next:i.pageInfo.hasNextPage?i.pageInfo.endCursor??null:null,total:i.totalCount}}function on({kind:e}){let[t,n]=L($t),[r,i]=L($t),[a,o]=L([]),[s,c]=L(null),[l,u]=L(null),[d,f]=L(!1),[p,m]=L(),h=z(null),g=z(0),_=async t=>{let n=g.current;f(!0),m(void 0);try{let i=await an(e,r,t);if(n!==g.current)return;o(e=>t?[...e,...i.rows]:i.rows),c(i.next),u(i.total)}catch(e){n===g.current&&m(e)}finally{n===g.current&&f(!1)}};R(()=>{n($t),i($t)},[e]),R(()=>{g.current++,o([]),c(null),u(null),_(null)},[e,r]),R(()=>{let e=h.current;if(!e||!s||d||p)return;let t=new IntersectionObserver(e=>e.some(e=>e.isIntersecting)&&_(s),{rootMargin:`300px`});return t.observe(e),()=>t.disconnect()},[s,d,p]);let v=e=>r=>{let i=r.currentTarget;n({...t,[e]:i.type===`checkbox`?i.checked:i.value})},b=(e,n,r=`text`,i=``)=>Y(`label`,{class:`field`,children:[Y(`span`,{children:n}),r===`date`?Y(`input`,{type:`date`,name:e,value:t[e],onInput:v(e)}):Y(`input`,{type:`text`,name:e,value:t[e],placeholder:i,onInput:v(e)})]});return Y(`div`,{class:`browse`,children:[Y(`h1`,{children:tn[e]}),Y(`form`,{class:`filters`,"aria-label":`Filter ${tn[e].toLowerCase()}`,onSubmit:e=>{e.preventDefault(),i(t)},children:[b(`words`,`Words`,`text`,`Any words`),e===`mail`&&b(`from`,`From`,`text`,`name@example.com`),e===`mail`&&b(`labels`,`Labels`,`text`,`INBOX, IMPORTANT`),e===`calendar`&&b(`attendees`,`Attendees`,`text`,`name@example.com`),e===`files`&&Y(`label`,{class:`field`,children:[Y(`span`,{children:`File type`}),Y(`select`,{name:`type`,value:t.type,onChange:v(`type`),children:Pt.map(([e,t])=>Y(`option`,{value:e,children:t},e))})]}),e===`files`&&b(`owner`,`Owner`,`text`,`name@example.com`),b(`after`,`From date`,`date`),b(`before`,`To date`,`date`),e===`mail`&&Y(y,{children:[Y(`label`,{class:`check`,children:[Y(`input`,{type:`checkbox`,name:`unread`,checked:t.unread,onChange:v(`unread`)}),` Unread`]}),Y(`label`,{class:`check`,children:[Y(`input`,{type:`checkbox`,name:`attachment`,checked:t.attachment,onChange:v(`attachment`)}),` Has attachment`]})]}),Y(`div`,{class:`buttons`,children:[Y(`button`,{type:`submit`,class:`primary`,children:`Apply`}),Y(`button`,{type:`button`,onClick:()=>{n($t),i($t)},children:`Clear`})]})]}),Y(`p`,{class:`muted small`,role:`status`,children:l===null?`Loading…`:`${a.length} of ${l.toLocaleString()} shown`}),Y(`ul`,{class:`items`,"aria-label":tn[e],children:a.map(e=>Y(`li`,{class:e.unread?`unread`:void 0,children:Y(`a`,{href:X({view:`item`,id:e.id}),children:[Y(`span`,{class:`title`,children:e.title}),Y(`span`,{class:`meta muted small`,children:e.meta}),e.snippet&&Y(`span`,{class:`snippet small`,children:e.snippet})]})},e.id))}),p?Y(Q,{error:p,retry:()=>_(s)}):null,Y(`div`,{ref:h,class:`sentinel`,children:[s&&!p&&Y(`button`,{type:`button`,disabled:d,onClick:()=>_(s),children:d?`Loading…`:`Load more`}),!s&&l!==null&&a.length>0&&Y(`p`,{class:`muted small`,children:`That is all.`}),!s&&l===0&&Y(`p`,{class:`muted`,children:`Nothing matches.`})]})]})}function sn({id:e}){let{data:t,error:n,loading:r,reload:i}=Jt(xt,{id:e}),a=t?.node;return Y(`article`,{class:`reader`,children:[Y(`button`,{type:`button`,class:`small`,onClick:()=>history.back(),children:`← Back`}),r&&Y(`p`,{role:`status`,children:`Loading…`}),n?Y(Q,{error:n,retry:i}):null,a?.__typename===`Email`&&Y(y,{children:[Y(`h1`,{children:a.subject||`(no subject)`}),Y(`dl`,{class:`facts`,children:[Y(`dt`,{children:`From`}),Y(`dd`,{children:Mt(a.from)}),a.to.length>0&&Y(y,{children:[Y(`dt`,{children:`To`}),Y(`dd`,{children:a.to.map(Mt).join(`, `)})]}),a.cc.length>0&&Y(y,{children:[Y(`dt`,{children:`Cc`}),Y(`dd`,{children:a.cc.map(Mt).join(`, `)})]}),Y(`dt`,{children:`Received`}),Y(`dd`,{children:Z(a.receivedAt)}),a.labels.length>0&&Y(y,{children:[Y(`dt`,{children:`Labels`}),Y(`dd`,{children:a.labels.join(`, `)})]})]}),Y(`div`,{class:`body-text`,children:a.body})]}),a?.__typename===`Event`&&Y(y,{children:[Y(`h1`,{children:a.title||`(no title)`}),Y(`dl`,{class:`facts`,children:[Y(`dt`,{children:`When`}),Y(`dd`,{children:[Z(a.start,a.allDay),` – `,Z(a.end,a.allDay),` `,a.timeZone&&Y(`span`,{class:`muted`,children:[`(`,a.timeZone,`)`]})]}),a.location&&Y(y,{children:[Y(`dt`,{children:`Where`}),Y(`dd`,{children:a.location})]}),Y(`dt`,{children:`Organiser`}),Y(`dd`,{children:a.organizer}),Y(`dt`,{children:`Status`}),Y(`dd`,{children:a.status})]}),a.attendees.length>0&&Y(y,{children:[Y(`h2`,{children:`Attendees`}),Y(`ul`,{children:a.attendees.map(e=>Y(`li`,{children:[e.name?`${e.name} <${e.email}>`:e.email,` `,Y(`span`,{class:`muted small`,children:e.responseStatus})]},e.email))})]}),a.description&&Y(`div`,{class:`body-text`,children:a.description})]}),a?.__typename===`File`&&Y(y,{children:[Y(`h1`,{children:a.name}),Y(`dl`,{class:`facts`,children:[Y(`dt`,{children:`Type`}),Y(`dd`,{children:Nt(a.mimeType)}),Y(`dt`,{children:`Owners`}),Y(`dd`,{children:a.owners.join(`, `)}),Y(`dt`,{children:`Modified`}),Y(`dd`,{children:Z(a.modifiedAt)}),a.properties.map(e=>Y(y,{children:[Y(`dt`,{children:e.key}),Y(`dd`,{children:e.value})]}))]}),Y(`div`,{class:`body-text`,children:a.preview})]})]})}var cn={services:`In`,from:`From`,to:`To`,attendees:`With`,labels:`Label`,mimeTypes:`Type`,after:`After`,before:`Before`,hasAttachment:`Attachment`,unread:`Unread`},ln={FULLTEXT:`words`,VECTOR:`meaning`,FILTERED:`filters`};function un(e,t){let n=new TextEncoder().encode(e),r=new TextDecoder;return(r.decode(n.slice(0,t.start))+` `+r.decode(n.slice(t.end))).replace(/\s+/g,` `).trim()}function dn({q:e}){let{data:t,error:n,loading:r,reload:i}=Jt(bt,{query:e,first:30},!e),a=t?.search;return Y(`div`,{class:`search`,children:[Y(`h1`,{children:`Search`}),Y(`p`,{class:`muted`,children:[`Results for `,Y(`q`,{children:e})]}),a&&a.filters.sources.length>0&&Y(`div`,{class:`chips`,role:`group`,"aria-label":`Filters read from your words`,children:a.filters.sources.map(t=>Y(`span`,{class:`chip`,children:[Y(`span`,{children:[Y(`span`,{class:`field-name`,children:cn[t.field]??t.field}),` `,t.words]}),Y(`button`,{type:`button`,"aria-label":`Remove filter ${cn[t.field]??t.field}: ${t.words}`,onClick:()=>{let n=un(e,t);n&&Et({view:`search`,q:n})},children:`×`})]},`${t.field}-${t.start}`))}),n?Y(Q,{error:n,retry:i}):null,r&&Y(`p`,{role:`status`,children:`Searching…`}),a&&!a.hits.length&&Y(`p`,{children:`Nothing found. Try fewer words or remove a filter.`}),Y(`ol`,{class:`items`,"aria-label":`Search results`,children:a?.hits.map((e,t)=>{let n=e.item;if(!n)return null;let r=``,i=``,a=``,o=``;return n.__typename===`Email`?[o,r,i,a]=[`Email`,n.subject||`(no subject)`,`${Mt(n.from)} · ${Z(n.receivedAt)}`,n.snippet]:n.__typename===`Event`?[o,r,i,a]=[`Event`,n.title,Z(n.start),n.location]:n.__typename===`File`&&([o,r,i,a]=[Nt(n.mimeType),n.name,Z(n.modifiedAt),n.preview]),Y(`li`,{children:Y(`a`,{href:X({view:`item`,id:n.id}),children:[Y(`span`,{class:`title`,children:[Y(`span`,{class:`badge`,children:o}),` `,r]}),Y(`span`,{class:`meta muted small`,children:[i,` · matched by `,e.legs.map(e=>ln[e.leg]??e.leg).join(`, `)]}),a&&Y(`span`,{class:`snippet small`,children:a})]})},t)})})]})}var fn=[{view:`chat`,label:`Ask`},{view:`mail`,label:`Mail`},{view:`calendar`,label:`Calendar`},{view:`files`,label:`Files`}];function pn({me:e,onSignOut:t}){let n=Dt(),[r,i]=L(!1),a=gn(),[o,s]=L(!1),[c,l]=L(0);return R(()=>i(!1),[n]),R(()=>{let e=e=>{let t=e.target;e.key!==`/`||e.ctrlKey||e.metaKey||e.altKey||t.isContentEditable||/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)||(e.preventDefault(),document.getElementById(`q`)?.focus())};return addEventListener(`keydown`,e),()=>removeEventListener(`keydown`,e)},[]),Y(`div`,{class:`shell`,children:[Y(`a`,{class:`skip`,href:`#main`,children:`Skip to content`}),Y(`header`,{class:`top`,children:[Y(`button`,{type:`button`,class:`menu`,"aria-expanded":r,"aria-controls":`side`,onClick:()=>i(!r),children:[Y(`span`,{"aria-hidden":`true`,children:`☰`}),Y(`span`,{class:`sr`,children:`History and sync`})]}),Y(`a`,{class:`brand`,href:`#/chat`,children:`Orchestrator`}),Y(hn,{initial:n.view===`search`?n.q:``}),Y(`div`,{class:`user`,children:[Y(`span`,{class:`who`,title:e.email,children:e.displayName||e.email}),Y(`button`,{type:`button`,onClick:t,children:`Sign out`})]})]}),Y(`nav`,{class:`tabs`,"aria-label":`Sections`,children:fn.map(e=>Y(`a`,{href:X({view:e.view}),"aria-current":n.view===e.view?`page`:void 0,children:e.label},e.view))}),!a&&Y(Q,{error:new G(`offline`,`offline`)}),(e.needsReauth||o)&&Y(Q,{error:new G(`reauth`,`reauth`)}),Y(`div`,{class:`body`,children:[Y(`aside`,{id:`side`,class:r?`side open`:`side`,"aria-label":`History and sync`,onKeyDown:e=>e.key===`Escape`&&i(!1),children:[Y(`button`,{type:`button`,class:`close small`,onClick:()=>i(!1),children:`Close`}),Y(Yt,{active:n.view===`chat`?n.id:void 0,version:c}),Y(Zt,{me:e,onReauth:()=>s(!0)})]}),Y(`main`,{id:`main`,tabIndex:-1,children:Y(mn,{route:n,onConversation:()=>l(e=>e+1)})})]})]})}function mn({route:e,onConversation:t}){switch(e.view){case`chat`:return Y(Bt,{conversationId:e.id,onConversation:t});case`mail`:case`calendar`:case`files`:return Y(on,{kind:e.view});case`item`:return Y(sn,{id:e.id});case`search`:return Y(dn,{q:e.q})}}function hn({initial:e}){let[t,n]=L(e);return R(()=>n(e),[e]),Y(`form`,{role:`search`,class:`searchbox`,onSubmit:e=>{e.preventDefault(),t.trim()&&Et({view:`search`,q:t.trim()})},children:[Y(`label`,{class:`sr`,for:`q`,children:`Search mail, events and files`}),Y(`input`,{id:`q`,type:`search`,placeholder:`Search mail, events and files`,value:t,onInput:e=>n(e.currentTarget.value)}),Y(`button`,{type:`submit`,children:`Search`})]})}function gn(){let[e,t]=L(navigator.onLine);return R(()=>{let e=()=>t(!0),n=()=>t(!1);return addEventListener(`online`,e),addEventListener(`offline`,n),()=>{removeEventListener(`online`,e),removeEventListener(`offline`,n)}},[]),e}function _n(){let[e,t]=L({phase:`checking`}),n=()=>{K(ot).then(e=>t({phase:`in`,me:e.me}),e=>t(e instanceof G&&e.kind===`signedOut`?{phase:`out`}:{phase:`failed`,error:e}))};switch(R(n,[]),R(()=>Xe(e=>{e.kind===`signedOut`?(tt(),t({phase:`out`,why:e})):t(e=>e.phase===`in`?{...e,me:{...e.me,needsReauth:!0}}:e)}),[]),e.phase){case`checking`:return Y(`p`,{class:`loading`,role:`status`,children:`Loading…`});case`failed`:return Y(`main`,{class:`center`,children:Y(Q,{error:e.error,retry:n})});case`out`:return Y(wt,{expired:!!e.why,onIn:n});case`in`:return Y(pn,{me:e.me,onSignOut:async()=>{await W.signOut(),tt(),t({phase:`out`})}})}}N(Y(_n,{}),document.getElementById(`app`));