(function(){let e=document.createElement(`link`).relList;if(e&&e.supports&&e.supports(`modulepreload`))return;for(let e of document.querySelectorAll(`link[rel="modulepreload"]`))n(e);new MutationObserver(e=>{for(let t of e)if(t.type===`childList`)for(let e of t.addedNodes)e.tagName===`LINK`&&e.rel===`modulepreload`&&n(e)}).observe(document,{childList:!0,subtree:!0});function t(e){let t={};return e.integrity&&(t.integrity=e.integrity),e.referrerPolicy&&(t.referrerPolicy=e.referrerPolicy),t.credentials=e.crossOrigin===`use-credentials`?`include`:e.crossOrigin===`anonymous`?`omit`:`same-origin`,t}function n(e){if(e.ep)return;e.ep=!0;let n=t(e);fetch(e.href,n)}})();var e,t,n,r,i,a,o,s,c,l,u=Symbol.for(`pv`),d={},f=[],p=/^m(i|n|o|s|text|space)$/,m=Array.isArray,h=f.slice,g=Object.assign;function _(e){e&&e.parentNode&&e.remove()}function v(n,r,i,a,o){var s={type:n,props:r,key:i,ref:a,__k:null,__:null,__b:0,__e:null,__c:null,constructor:u,__v:o||++t,__i:-1,__u:0};return!o&&e.vnode&&e.vnode(s),s}function y(e){return e.children}function b(e,t){this.props=e,this.context=t,this.__g=0}function x(e,t){if(t==null)return e.__&&x(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!=`function`||e.props.__P?null:x(e)}function S(t){var n,r=t.__v,i=r.__e,a=[],o=[],s=t.__P;s&&((n=g({constructor:u},r)).__v=r.__v+1,e.vnode&&e.vnode(n),ne(s,n,r,t.__n,s.namespaceURI,32&r.__u?[i]:null,a,i||x(r),32&r.__u,o),n.__v=r.__v,n.__.__k[n.__i]=n,j(a,n,o),r.__=r.__e=null,n.__e!=i&&C(n))}function C(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),C(e)}function w(t){(8&t.__g||(t.__g|=8,n.push(t),i++))&&r==e.debounceRendering||((r=e.debounceRendering)||queueMicrotask)(T)}function T(){try{for(var e,t=1;n.length;)n.length>t&&n.sort(a),e=n.shift(),t=n.length,8&e.__g&&S(e)}finally{(i=n.length)&&(r||queueMicrotask)(T)}}function ee(e,t,n,r,i,a,o,s,c,l,u){var p,m,h,g,_,v,y=r.__k||f,b=t.length;for(c=E(n,t,y,c,b),p=0;p<b;p++)(h=n.__k[p])!=null&&(m=~h.__i&&y[h.__i]||d,h.__i=p,v=ne(e,h,m,i,a,o,s,c,l,u),g=h.__e,(m.ref!=h.ref||8&m.__u)&&(m.ref&&oe(m.ref,null,h,m),h.ref&&u.push(h.ref,h.__c||g,h)),_||=g,4&h.__u?(c=D(h,c,e,!m.__v),m.__e&&(m.__e=null)):typeof h.type==`function`&&v!==void 0?c=v:g&&(c=g.nextSibling),h.__u&=-21);return n.__e=_,c}function E(e,t,n,r,i){var a,o,s,c,l,d,f,p,h,g=n.length,_=g,b=0,S=0,C=e.__k=Array(i);for(a=0;a<i;a++)(o=t[a])!=null&&typeof o!=`boolean`&&typeof o!=`function`?(typeof o!=`object`||o.constructor===String?o=C[a]=v(null,o):m(o)?o=C[a]=v(y,{children:o}):o.constructor===u&&o.__b?o=C[a]=v(o.type,o.props,o.key,o.ref,o.__v):C[a]=o,c=a+b,o.__=e,o.__b=e.__b+1,s=null,~(l=o.__i=O(o,n,c,_))&&(_--,(s=n[l])&&(s.__u|=2)),s&&s.__v?(o.__u|=16,l==c-1?b--:l==c+1?b++:l!=c&&(l>c?b--:b++,S=1)):(~l||(i>g?b--:i<g&&b++),typeof o.type!=`function`&&(o.__u|=4))):C[a]=null;if(S){for(d=[],f=[],a=0;a<i;a++)if((o=C[a])&&16&o.__u){for(b=0,p=d.length;b<p;)d[h=b+p>>1]<o.__i?b=h+1:p=h;d[b]=o.__i,f[a]=b+1}for(b=d.length;a--;)f[a]&&(f[a]==b?b--:C[a].__u|=4)}if(_)for(a=0;a<g;a++)!(s=n[a])||2&s.__u||(s.__e==r&&(r=x(s)),se(s,s));return r}function D(e,t,n,r){var i,a,o,s;if(typeof e.type==`function`){if(e.props.__P)return t;if(i=e.__k)for(a=0;a<i.length;a++)i[a]&&(i[a].__=e,t=D(i[a],t,n,!1));return t}for(t&&!t.parentNode&&(t=x(e))&&!t.parentNode&&(t=null),o=e.__e,s=t;s&&s.nodeType==8;)s=s.nextSibling;for(o!=s&&(!r&&n.moveBefore&&o.parentNode?n.moveBefore(o,t):n.insertBefore(o,t||null)),t=o;(t&&=t.nextSibling)&&t.nodeType==8&&!t.data.startsWith(`$s`););return t}function O(e,t,n,r){var i,a=e.key,o=e.type,s=t[n],c=s&&!(2&s.__u);if(s===null&&a==null||c&&a==s.key&&o==s.type)return n;if(r>+!!c){for(i=n-1;i>=0;i--)if((s=t[i])&&!(2&s.__u)&&a==s.key&&o==s.type)return i;for(i=n+1;i<t.length;i++)if((s=t[i])&&!(2&s.__u)&&a==s.key&&o==s.type)return i}return-1}function k(e,t,n){n??=``,t[0]==`-`?e.setProperty(t,n):e[t]=n}function A(e,t,n,r,i){var a,o;if(t==`style`){if(typeof n==`string`)e.style.cssText=n;else{if(typeof r==`string`&&(e.style.cssText=r=``),r)for(t in r)n&&t in n||k(e.style,t);if(n)for(t in n)r&&n[t]==r[t]||k(e.style,t,n[t])}}else if(t[0]==`o`&&t[1]==`n`)typeof n!=`function`&&(n=null),typeof r!=`function`&&(r=null),(e.__e||={})[t]=n,n&&r||(o=l[t]||(l[t]=te(t)),(e.__a||={})[t]=c,a=t!=(t=t.replace(s,`$1`)),(t=t.slice(2))[0]<`a`&&(t=t.toLowerCase()),n?e.addEventListener(t,o,a):e.removeEventListener(t,o,a));else{if(i==`http://www.w3.org/2000/svg`)t=t.replace(/xlink(H|:h)/,`h`).replace(/sName$/,`s`);else if(t!=`width`&&t!=`height`&&t!=`href`&&t!=`list`&&t!=`form`&&t!=`tabIndex`&&t!=`download`&&t!=`rowSpan`&&t!=`colSpan`&&t!=`role`&&t!=`popover`&&t in e)try{e[t]=n??``;return}catch{}if(typeof n==`function`)return;n==null||!1===n&&t[4]!=`-`?e.removeAttribute(t):e.setAttribute(t,t==`popover`&&n==1?``:n)}}function te(t){return function(n){var r=this.__e;if(r){if(r=r[t],n[o]==null)n[o]=c++;else if(n[o]<this.__a[t])return;return r(e.event?e.event(n):n)}}}function ne(t,n,r,i,a,o,s,c,l,d){var p,h,v,S,C,w,T,E,D,O,k,A,te,ne,j,oe,M,N,P=n.type;if(n.constructor!==u)return null;128&r.__u&&(l=32&r.__u,p=r.__c.__z)&&(n.__u|=l,h=o=[],p.nodeType==8?c=re(p,o):o.push(p),c=o[0]||c),(p=e.__b)&&p(n);e:if(typeof P==`function`){v=s.length;try{if(E=n.props,D=(p=P.prototype)&&p.render,O=(p=P.contextType)&&i[p.__c],k=p?O?O.props.value:p.__:i,(S=r.__c)?(n.__c=S,2&S.__g&&(S.__g|=1)):(D?n.__c=S=new P(E,k):(n.__c=S=new b(E,k),S.constructor=P,S.render=ce),O&&O.sub(S),S.state||(S.state={}),S.__n=i,S.__g|=8,S.__h=[],S.__k=[]),D&&(S.__s||(S.__s=S.state),P.getDerivedStateFromProps&&(S.__s==S.state&&(S.__s=g({},S.__s)),g(S.__s,P.getDerivedStateFromProps(E,S.__s)))),C=S.props,w=S.state,S.__v=n,r.__c){if(E!==C&&D&&!P.getDerivedStateFromProps&&S.componentWillReceiveProps&&S.componentWillReceiveProps(E,k),n.__v==r.__v&&!(8&S.__g)||!(4&S.__g)&&S.shouldComponentUpdate&&!1===S.shouldComponentUpdate(E,S.__s,k)){n.__v!=r.__v&&(S.props=E,S.state=S.__s,S.__g&=-9),n.__e=r.__e,n.__k=r.__k,n.__k.some(function(e){e&&(e.__=n)}),f.push.apply(S.__h,S.__k),S.__k=[],S.__h.length&&s.push(S),c=x(r);break e}S.componentWillUpdate&&S.componentWillUpdate(E,S.__s,k),D&&S.componentDidUpdate&&S.__h.push(function(){S.componentDidUpdate(C,w,T)})}else D&&!P.getDerivedStateFromProps&&S.componentWillMount&&S.componentWillMount(),D&&S.componentDidMount&&S.__h.push(S.componentDidMount);S.context=k,S.props=E,S.__P=t,S.__g&=-5,A=e.__r,te=D?25:0;do S.__g&=-9,A&&A(n),p=S.render(S.props,S.state=S.__s,S.context);while(8&S.__g&&++te<25);D&&(f.push.apply(S.__h,S.__k),S.__k=[]),S.state=S.__s,S.getChildContext&&(i=g({},i,S.getChildContext())),D&&r.__c&&S.getSnapshotBeforeUpdate&&(T=S.getSnapshotBeforeUpdate(C,w)),ne=p&&p.type===y&&p.key==null?p.props.children:p,E.__P&&(p=c,a=(t=E.__P).namespaceURI,l=o=null,r.props&&r.props.__P!=t&&(r.__k.some(function(e){e&&se(e,e)}),r.__k=null),c=r.__k?x(r,0):null),c=ee(t,m(ne)?ne:[ne],n,r,i,a,o,s,c,l,d),E.__P&&(n.__e=null,c=p),n.__u&=-161,h&&h.some(_),S.__h.length&&s.push(S),1&S.__g&&(S.__g&=-4)}catch(t){if(s.length=v,n.__v=null,l||o){if(t&&t.then){if(n.__u|=128|l,o){for(~(M=o.indexOf(c||void 0))||(M=o.length);(N=o[M-1])&&N.nodeType==8;)M--;for(;M<o.length;M++)if(N=o[M]){if(o[M]=null,j){if(N==oe)break}else{if(N.nodeType!=8)break;N.data.startsWith(`$s`)&&(oe=re(j=N))}}}if(!j){for(;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;j=c}(p=re(j=n.__c.__z||(n.__c.__z=j)))?(n.__e=j,c=p):n.__e=c,c&&=c.nextSibling}else o&&o.some(_)}else n.__e=r.__e;n.__k||=r.__k||[],t&&t.then||ie(n),e.__e(t,n,r)}}else c=n.__e=ae(r.__e,n,r,i,a,o,s,l,d,t);return(p=e.diffed)&&p(n),c}function re(e,t){if(e&&e.nodeType==8&&e.data.startsWith(`$s`))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith(`$s`))n++;else if(e.data.startsWith(`/$s`)&&!--n)return e}t&&t.push(e)}}function ie(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some(ie))}function j(t,n,r){for(var i=0;i<r.length;)oe(r[i++],r[i++],r[i++]);e.__c&&e.__c(n,t),t.some(function(n){try{t=n.__h,n.__h=[],t.some(function(e){e.call(n)})}catch(t){e.__e(t,n.__v)}})}function ae(t,n,r,i,a,o,s,c,l,u){var f,g,v,y,b,S,C,w,T=r.props||d,E=n.props,D=n.type;if(D==`svg`?a=`http://www.w3.org/2000/svg`:D==`math`?a=`http://www.w3.org/1998/Math/MathML`:a||=`http://www.w3.org/1999/xhtml`,o){for(f=0;f<o.length;f++)if((b=o[f])&&(D?b.localName==D:b.nodeType==3)){t=b,o[f]=null;break}}if(!t){if(w=u.ownerDocument||document,!D)return w.createTextNode(E);t=w.createElementNS(a,D,E.is?E:u),c&&=(e.__m&&e.__m(n,o),!1),o=null}if(D){if(u=D==`template`&&t.content||t,o=D==`textarea`&&E.defaultValue!=null?null:o&&h.call(u.childNodes),!c&&o)for(T={},f=0;f<t.attributes.length;f++)T[(b=t.attributes[f]).name]=b.value;for(f in T)b=T[f],f==`dangerouslySetInnerHTML`?v=b:f==`children`||f in E||f==`value`&&`defaultValue`in E||f==`checked`&&`defaultChecked`in E||A(t,f,null,b,a);for(f in E)b=E[f],f==`children`?y=b:f==`dangerouslySetInnerHTML`?g=b:f==`value`?S=b:f==`checked`?C=b:c&&typeof b!=`function`||T[f]===b||A(t,f,b,T[f],a);g?(c||v&&(g.__html==v.__html||g.__html==t.innerHTML)||(t.innerHTML=g.__html),n.__k=[]):(v&&(t.textContent=``),(D==`foreignObject`||a==`http://www.w3.org/1998/Math/MathML`&&p.test(D))&&(a=`http://www.w3.org/1999/xhtml`),ee(u,m(y)?y:[y],n,r,i,a,o,s,o?o[0]:r.__k&&x(r,0),c,l),o&&o.some(_)),c&&D!=`textarea`||(f=`value`,D==`progress`&&S==null?t.removeAttribute(f):S==null||S===t[f]&&(D!=`progress`||S)||A(t,f,S,T[f],a),f=`checked`,C!=null&&C!=t[f]&&A(t,f,C,T[f],a))}else T===E||c&&t.data==E||(t.data=E);return t}function oe(t,n,r,i){try{typeof t==`function`?n?n.__x=t(n)||1:(i&&=i.__c||i.__e)&&(n=i.__x)&&(i.__x=null,typeof n==`function`?n():t(null)):t.current=n}catch(t){e.__e(t,r)}}function se(t,n,r){var i,a,o,s;if(e.unmount&&e.unmount(t),!(i=t.ref)||i.current&&i.current!=t.__e||oe(i,null,n,t),i=t.__c){if(i.componentWillUnmount)try{i.componentWillUnmount()}catch(t){e.__e(t,n)}i.__P=i.__n=null}if(i=t.__k)for(s=0;s<i.length;s++)i[s]&&se(i[s],n,typeof t.type!=`function`||r&&!t.props.__P);!r&&(i=t.__c)&&(i=i.__z)&&(a=re(i,o=[]))&&(i==t.__e&&o.some(_),_(a),_(i)),r||_(t.__e),t.__e=t.__c=t.__=null}function ce(e,t,n){return this.constructor(e,n)}function M(t,n){var r,i,a,o;e.__&&e.__(t,n),n.nodeType==9&&(n=n.documentElement),i=(r=t&&32&t.__u)?null:n.__k,n.__k=v(y,{children:[t]}),a=[],o=[],ne(n,n.__k,i||d,d,n.namespaceURI,i?null:n.firstChild?h.call(n.childNodes):null,a,i?i.__e:n.firstChild,r,o),j(a,n.__k,o),n.__k.props.children=null}e={__e:function(e,t,n,r){for(var a,o,s;t=t.__;)if((a=t.__c)&&!(1&a.__g)){a.__g|=4;try{if((s=(o=a.constructor)&&o.getDerivedStateFromError)&&a.setState(o.getDerivedStateFromError(e)),a.componentDidCatch&&(a.componentDidCatch(e,r||{}),s=1),s&&8&a.__g)return void(a.__g|=2)}catch(t){e=t}}throw i=0,e}},t=0,b.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=g({},this.state)),typeof e==`function`&&(e=e(g({},n),this.props)),e&&(g(n,e),this.__v&&(t&&this.__k.push(t),w(this)))},b.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),w(this))},b.prototype.render=y,n=[],i=0,a=function(e,t){return e.__v.__b-t.__v.__b},o=Symbol(),s=/(PointerCapture)$|Capture$/i,c=0,l={};var N,P,le,ue,de=Object.is,fe=0,pe=[],me=[],F=e,he=F.__b,ge=F.__r,_e=F.diffed,ve=F.__c,ye=F.unmount,be=F.__;function xe(e,t){F.__h&&F.__h(P,e,fe||t),fe=0;var n=P.__H||(P.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function I(e){return fe=1,Se(Me,e)}function Se(e,t,n){var r=xe(N++,2);if(r.t=e,!r.__c&&(r.__=[n?n(t):Me(void 0,t),function(e){var t=(r.__N||r.__)[0],n=r.t(t,e);de(t,n)||(r.__N=[n,r.__[1]],r.__c.setState({}))}],r.__c=P,!P.__f)){P.__f=!0;var i=P.shouldComponentUpdate;P.shouldComponentUpdate=function(e,t,n){var r=this.__H;if(!r)return!0;var a=!1,o=this.props!=e;if(r.__.some(function(e){e.__N&&(a=!0,de(e.__[0],e.__N[0])||(o=!0))}),i){var s=i.call(this,e,t,n);return a?s||o:s}return!a||o}}return r.__}function L(e,t){var n=xe(N++,3);!F.__s&&je(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,P.__H.__h.push(n))}function R(e){return fe=5,Ce(function(){return{current:e}},[])}function Ce(e,t){var n=xe(N++,7);return je(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function we(e,t){return fe=8,Ce(function(){return e},t)}function Te(){var e;do{for(;e=me.shift();)try{ke(e)}catch(t){F.__e(t,{__:(e=e.__P)&&e.__v})}for(;e=pe.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(ke),t.__h.some(Ae),t.__h=[]}catch(n){t.__h=[],F.__e(n,e.__v)}}}while(me.length)}F.__b=function(e){P=null,he&&he(e)},F.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),be&&be(e,t)},F.__r=function(e){ge&&ge(e),N=0;var t=(P=e.__c).__H;t&&(le==P?P.__h=[]:(t.__h.some(ke),t.__h.some(Ae),N=0),t.__h=[],t.__.some(function(e){e.__N&&(e.__=e.__N),e.u=e.__N=void 0})),le=P},F.diffed=function(e){_e&&_e(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&Oe(pe.push(t)),t.__H.__.some(function(e){e.u&&(e.__H=e.u)})),le=P=null},F.__c=function(e,t){t.some(function(e){try{e.__h.some(ke),e.__h=e.__h.filter(function(e){return!e.__||Ae(e)})}catch(t){e.__h=[function(){throw t}]}}),ve&&ve(e,t)},F.unmount=function(e){ye&&ye(e);var t,n,r=e.__c;r&&r.__H&&(r.__H.__.some(function(r){try{if(r.__P&&r.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n&&=n.__c}r.__P=n,Oe(me.push(r))}else ke(r)}catch(e){t=e}}),r.__H=void 0,t&&F.__e(t,r.__v))};var Ee=typeof requestAnimationFrame==`function`;function De(e){var t,n=function(){clearTimeout(r),Ee&&cancelAnimationFrame(t),setTimeout(e)},r=setTimeout(n,35);Ee&&(t=requestAnimationFrame(n))}function Oe(e){e!=1&&ue==F.requestAnimationFrame||((ue=F.requestAnimationFrame)||De)(Te)}function ke(e){var t=P,n=e.__c;typeof n==`function`&&(e.__c=void 0,n()),P=t}function Ae(e){var t=P;e.__c=e.__(),P=t}function je(e,t){return!e||e.length!=t.length||t.some(function(t,n){return!de(t,e[n])})}function Me(e,t){return typeof t==`function`?t(e):t}function z(e){return e===null?`null`:Array.isArray(e)?`array`:typeof e}function B(e){return z(e)===`object`}function Ne(e){return Array.isArray(e)&&e.length>0&&e.every(e=>`message`in e)}function Pe(e,t){return e.length<124?e:t}var V=(e=>(e[e.InternalServerError=4500]=`InternalServerError`,e[e.InternalClientError=4005]=`InternalClientError`,e[e.BadRequest=4400]=`BadRequest`,e[e.BadResponse=4004]=`BadResponse`,e[e.Unauthorized=4401]=`Unauthorized`,e[e.Forbidden=4403]=`Forbidden`,e[e.SubprotocolNotAcceptable=4406]=`SubprotocolNotAcceptable`,e[e.ConnectionInitialisationTimeout=4408]=`ConnectionInitialisationTimeout`,e[e.ConnectionAcknowledgementTimeout=4504]=`ConnectionAcknowledgementTimeout`,e[e.SubscriberAlreadyExists=4409]=`SubscriberAlreadyExists`,e[e.TooManyInitialisationRequests=4429]=`TooManyInitialisationRequests`,e))(V||{}),H=(e=>(e.ConnectionInit=`connection_init`,e.ConnectionAck=`connection_ack`,e.Ping=`ping`,e.Pong=`pong`,e.Subscribe=`subscribe`,e.Next=`next`,e.Error=`error`,e.Complete=`complete`,e))(H||{});function Fe(e){if(!B(e))throw Error(`Message is expected to be an object, but got ${z(e)}`);if(!e.type)throw Error(`Message is missing the 'type' property`);if(typeof e.type!=`string`)throw Error(`Message is expects the 'type' property to be a string, but got ${z(e.type)}`);switch(e.type){case`connection_init`:case`connection_ack`:case`ping`:case`pong`:if(e.payload!=null&&!B(e.payload))throw Error(`"${e.type}" message expects the 'payload' property to be an object or nullish or missing, but got "${e.payload}"`);break;case`subscribe`:if(typeof e.id!=`string`)throw Error(`"${e.type}" message expects the 'id' property to be a string, but got ${z(e.id)}`);if(!e.id)throw Error(`"${e.type}" message requires a non-empty 'id' property`);if(!B(e.payload))throw Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${z(e.payload)}`);if(typeof e.payload.query!=`string`)throw Error(`"${e.type}" message payload expects the 'query' property to be a string, but got ${z(e.payload.query)}`);if(e.payload.variables!=null&&!B(e.payload.variables))throw Error(`"${e.type}" message payload expects the 'variables' property to be a an object or nullish or missing, but got ${z(e.payload.variables)}`);if(e.payload.operationName!=null&&z(e.payload.operationName)!==`string`)throw Error(`"${e.type}" message payload expects the 'operationName' property to be a string or nullish or missing, but got ${z(e.payload.operationName)}`);if(e.payload.extensions!=null&&!B(e.payload.extensions))throw Error(`"${e.type}" message payload expects the 'extensions' property to be a an object or nullish or missing, but got ${z(e.payload.extensions)}`);break;case`next`:if(typeof e.id!=`string`)throw Error(`"${e.type}" message expects the 'id' property to be a string, but got ${z(e.id)}`);if(!e.id)throw Error(`"${e.type}" message requires a non-empty 'id' property`);if(!B(e.payload))throw Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${z(e.payload)}`);break;case`error`:if(typeof e.id!=`string`)throw Error(`"${e.type}" message expects the 'id' property to be a string, but got ${z(e.id)}`);if(!e.id)throw Error(`"${e.type}" message requires a non-empty 'id' property`);if(!Ne(e.payload))throw Error(`"${e.type}" message expects the 'payload' property to be an array of GraphQL errors, but got ${JSON.stringify(e.payload)}`);break;case`complete`:if(typeof e.id!=`string`)throw Error(`"${e.type}" message expects the 'id' property to be a string, but got ${z(e.id)}`);if(!e.id)throw Error(`"${e.type}" message requires a non-empty 'id' property`);break;default:throw Error(`Invalid message 'type' property "${e.type}"`)}return e}function Ie(e,t){return Fe(typeof e==`string`?JSON.parse(e,t):e)}function Le(e,t){return Fe(e),JSON.stringify(e,t)}function Re(e){let{url:t,connectionParams:n,lazy:r=!0,onNonLazyError:i=console.error,lazyCloseTimeout:a=0,keepAlive:o=0,disablePong:s,connectionAckWaitTimeout:c=0,retryAttempts:l=5,retryWait:u=async function(e){let t=2**e;await new Promise(e=>setTimeout(e,t*1e3+Math.floor(Math.random()*2700+300)))},shouldRetry:d=Be,on:f,webSocketImpl:p,generateID:m=function(){return`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.replace(/[xy]/g,e=>{let t=Math.random()*16|0;return(e==`x`?t:t&3|8).toString(16)})},jsonMessageReplacer:h,jsonMessageReviver:g}=e,_;if(p){if(!He(p))throw Error(`Invalid WebSocket implementation provided`);_=p}else typeof WebSocket<`u`?_=WebSocket:typeof global<`u`?_=global.WebSocket||global.MozWebSocket:typeof window<`u`&&(_=window.WebSocket||window.MozWebSocket);if(!_)throw Error("WebSocket implementation missing; on Node you can `import WebSocket from 'ws';` and pass `webSocketImpl: WebSocket` to `createClient`");let v=_,y=(()=>{let e=(()=>{let e={};return{on(t,n){return e[t]=n,()=>{delete e[t]}},emit(t){`id`in t&&e[t.id]?.(t)}}})(),t={connecting:f?.connecting?[f.connecting]:[],opened:f?.opened?[f.opened]:[],connected:f?.connected?[f.connected]:[],ping:f?.ping?[f.ping]:[],pong:f?.pong?[f.pong]:[],message:f?.message?[e.emit,f.message]:[e.emit],closed:f?.closed?[f.closed]:[],error:f?.error?[f.error]:[]};return{onMessage:e.on,on(e,n){let r=t[e];return r.push(n),()=>{let e=r.indexOf(n);e>-1&&r.splice(e,1)}},emit(e,...n){for(let r of[...t[e]])r(...n)}}})();function b(e){let t=[y.on(`error`,n=>{t.forEach(e=>e()),e(n)}),y.on(`closed`,n=>{t.forEach(e=>e()),e(n)})];return()=>t.forEach(e=>e())}let x,S=0,C,w=!1,T=0,ee=!1;async function E(){clearTimeout(C);let[e,r]=await(x??=new Promise((e,r)=>(async()=>{if(w){if(await u(T),!S)return x=void 0,r({code:1e3,reason:`All Subscriptions Gone`});T++}y.emit(`connecting`,w);let i=new v(typeof t==`function`?await t():t,`graphql-transport-ws`),a,l;function d(){isFinite(o)&&o>0&&(clearTimeout(l),l=setTimeout(()=>{i.readyState===v.OPEN&&(i.send(Le({type:H.Ping})),y.emit(`ping`,!1,void 0))},o))}b(e=>{x=void 0,clearTimeout(a),clearTimeout(l),r(e),e instanceof ze&&(i.close(4499,`Terminated`),i.onerror=null,i.onclose=null)}),i.onerror=e=>y.emit(`error`,e),i.onclose=e=>y.emit(`closed`,e),i.onopen=async()=>{try{y.emit(`opened`,i);let e=typeof n==`function`?await n():n;if(i.readyState!==v.OPEN)return;i.send(Le(e?{type:H.ConnectionInit,payload:e}:{type:H.ConnectionInit},h)),isFinite(c)&&c>0&&(a=setTimeout(()=>{i.close(V.ConnectionAcknowledgementTimeout,`Connection acknowledgement timeout`)},c)),d()}catch(e){y.emit(`error`,e),i.close(V.InternalClientError,Pe(e instanceof Error?e.message:String(e),`Internal client error`))}};let f=!1;i.onmessage=({data:t})=>{try{let n=Ie(t,g);if(y.emit(`message`,n),n.type===`ping`||n.type===`pong`){y.emit(n.type,!0,n.payload),n.type===`pong`?d():s||(i.send(Le(n.payload?{type:H.Pong,payload:n.payload}:{type:H.Pong},h)),y.emit(`pong`,!1,n.payload));return}if(f)return;if(n.type!==H.ConnectionAck)throw Error(`First message cannot be of type ${n.type}`);clearTimeout(a),f=!0,y.emit(`connected`,i,n.payload,w),w=!1,T=0;let r=new Promise((e,t)=>b(t));r.catch(()=>{}),e([i,r])}catch(e){i.onmessage=null,y.emit(`error`,e),i.close(V.BadResponse,Pe(e instanceof Error?e.message:String(e),`Bad response`))}}})()));e.readyState===v.CLOSING&&await r;let i=()=>{},l=new Promise(e=>i=e);return[e,i,new Promise((t,n)=>{let i=b(n);e.readyState!==v.OPEN&&r.catch(n),l.then(()=>{if(i(),!S){let t=()=>e.close(1e3,`Normal Closure`);isFinite(a)&&a>0?(clearTimeout(C),C=setTimeout(()=>{!S&&e.readyState===v.OPEN&&t()},a)):t()}t()})})]}function D(e){if(Be(e)&&(Ve(e.code)||[V.InternalServerError,V.InternalClientError,V.BadRequest,V.BadResponse,V.Unauthorized,V.SubprotocolNotAcceptable,V.SubscriberAlreadyExists,V.TooManyInitialisationRequests].includes(e.code)))throw e;if(ee)return!1;if(Be(e)&&e.code===1e3)return S>0;if(!l||T>=l||!d(e))throw e;return w=!0}r||(async()=>{for(S++;;)try{let[,,e]=await E();await e}catch(e){try{if(!D(e))return}catch(e){return i?.(e)}}})();function O(e,t){let n=m(e),r=!1,i=!1,a=()=>{S--,r=!0};return(async()=>{for(S++;;)try{let[o,s,c]=await E();if(r)return c.catch(()=>{}),s();let l=y.onMessage(n,e=>{switch(e.type){case H.Next:t.next(e.payload);return;case H.Error:i=!0,r=!0,t.error(e.payload),a();return;case H.Complete:r=!0,a();return}});o.send(Le({id:n,type:H.Subscribe,payload:e},h)),a=()=>{!r&&o.readyState===v.OPEN&&o.send(Le({id:n,type:H.Complete},h)),S--,r=!0,s()},await c.finally(l);return}catch(e){if(!D(e))return}})().then(()=>{i||t.complete()}).catch(e=>{t.error(e)}),()=>{r||a()}}return{on:y.on,subscribe:O,iterate(e){let t=[],n={done:!1,error:null,resolve:()=>{}},r=O(e,{next(e){t.push(e),n.resolve()},error(e){n.done=!0,n.error=e,n.resolve()},complete(){n.done=!0,n.resolve()}}),i=async function*(){for(;;){for(t.length||await new Promise(e=>n.resolve=e);t.length;)yield t.shift();if(n.error)throw n.error;if(n.done)return}}();return i.throw=async e=>(n.done||(n.done=!0,n.error=e,n.resolve()),{done:!0,value:void 0}),i.return=async()=>(r(),{done:!0,value:void 0}),i},async dispose(){if(ee=!0,x){let[e]=await x;e.close(1e3,`Normal Closure`)}},terminate(){x&&y.emit(`closed`,new ze)}}}var ze=class extends Error{name=`TerminatedCloseEvent`;message=`4499: Terminated`;code=4499;reason=`Terminated`;wasClean=!1};function Be(e){return B(e)&&`code`in e&&`reason`in e}function Ve(e){return![1e3,1001,1006,1005,1012,1013,1014].includes(e)&&e>=1e3&&e<=1999}function He(e){return typeof e==`function`&&`constructor`in e&&`CLOSED`in e&&`CLOSING`in e&&`CONNECTING`in e&&`OPEN`in e}var Ue=`orchestrator.token`,We={google:`/auth/google/login`,demo:`/auth/demo`,refresh:`/auth/refresh`,logout:`/auth/logout`};function Ge(){return document.querySelector(`meta[name="orchestrator-demo-user"]`)?.content??``}async function Ke(){try{return(await fetch(We.refresh,{method:`POST`,credentials:`same-origin`})).ok}catch{return!1}}var U=new class{token=sessionStorage.getItem(Ue)??``;headers(){return this.token?{Authorization:`Bearer ${this.token}`}:{}}useToken(e){this.token=e.trim().replace(/^Bearer\s+/i,``),sessionStorage.setItem(Ue,this.token)}refreshing=null;refresh(){return this.token?Promise.resolve(!1):(this.refreshing??=(navigator.locks?navigator.locks.request(`orchestrator-refresh`,Ke):Ke()).finally(()=>{this.refreshing=null}),this.refreshing)}async enterDemo(){let e;try{e=await fetch(We.demo,{method:`POST`,credentials:`same-origin`})}catch{throw Error(`You are offline: check your connection and try again.`)}if(!e.ok){if(e.status===404)throw Error(`Demo mode is off on this server.`);let t=await e.json().catch(()=>({})),n=t?.errors?.[0]?.message??t?.error?.message??t?.message??``;throw Error(n?`Demo sign-in failed: ${n}`:`Demo sign-in failed (HTTP ${e.status}); try again.`)}this.forget()}async signOut(){let e=!!this.token;this.forget(),e||await fetch(We.logout,{method:`POST`,credentials:`same-origin`}).catch(()=>void 0)}forget(){this.token=``,sessionStorage.removeItem(Ue)}},W=class extends Error{kind;retryAfter;loginUrl;constructor(e,t,n=0,r=``){super(t),this.kind=e,this.retryAfter=n,this.loginUrl=r}};function qe(e){let t=e[0]??{message:`unknown error`},n=t.extensions?.code??``,r=t.message;switch(n){case`UNAUTHENTICATED`:return new W(`signedOut`,r);case`REAUTH_REQUIRED`:return new W(`reauth`,r,0,t.extensions?.loginUrl??``);case`FORBIDDEN`:return new W(/reauthori|reconnect|authorised again/i.test(r)?`reauth`:`input`,r);case`RATE_LIMITED`:return new W(`rateLimited`,r,t.extensions?.retryAfterSeconds??0);case`NOT_FOUND`:return new W(`notFound`,r);case`BAD_USER_INPUT`:case`INVALID_CURSOR`:case`CONFLICT`:case`GRAPHQL_VALIDATION_FAILED`:return new W(`input`,r)}return new W(`server`,r)}function Je(e){if(!(e instanceof W))return{title:`Something went wrong.`,action:`Try again.`};switch(e.kind){case`signedOut`:return{title:`You are signed out.`,action:`Sign in again to continue.`};case`reauth`:return{title:`Google needs reconnecting.`,action:`Reconnect your Google account; nothing synced is lost.`};case`rateLimited`:return{title:`Too many requests for now.`,action:e.retryAfter>0?`Try again in ${Ye(e.retryAfter)}.`:`Wait a little and try again.`};case`offline`:return{title:`You are offline.`,action:`Check your connection; the app retries when it is back.`};case`notFound`:return{title:`That item is gone.`,action:`It may have been deleted; go back to the list.`};case`input`:return{title:Xe(e.message)+(/[.!?]$/.test(e.message)?``:`.`),action:`Change the request and try again.`};case`server`:return{title:`The server had a problem.`,action:`Try again in a moment.`}}}function Ye(e){return e<90?`${Math.ceil(e)} seconds`:`${Math.ceil(e/60)} minutes`}function Xe(e){return e.charAt(0).toUpperCase()+e.slice(1)}var Ze=new Set;function Qe(e){return Ze.add(e),()=>Ze.delete(e)}function $e(e){return(e.kind===`signedOut`||e.kind===`reauth`)&&Ze.forEach(t=>t(e)),e}async function G(e,t,n=!1){let r;try{r=await fetch(`/graphql`,{method:`POST`,credentials:`same-origin`,headers:{"content-type":`application/json`,accept:`application/json`,...U.headers()},body:JSON.stringify({query:e.toString(),variables:t??{}})})}catch{throw new W(`offline`,`network unreachable`)}let i={};try{i=await r.json()}catch{throw $e(et(r))}if(i.errors?.length){let r=qe(i.errors);if(r.kind===`signedOut`&&!n&&await U.refresh())return G(e,t,!0);throw $e(r)}if(!r.ok||!i.data)throw $e(et(r));return i.data}function et(e){return e.status===401?new W(`signedOut`,`signed out`):e.status===429?new W(`rateLimited`,`rate limited`,Number(e.headers.get(`retry-after`)??0)):e.status===502||e.status===503||e.status===504?new W(`offline`,`server unreachable`):new W(`server`,`HTTP ${e.status}`)}var tt=null;function nt(){if(!tt){let e=new URL(`/graphql`,location.href);e.protocol=e.protocol===`https:`?`wss:`:`ws:`,tt=Re({url:e.href,lazy:!0,connectionParams:()=>U.headers(),retryAttempts:5,shouldRetry:()=>!0,retryWait:async e=>{await U.refresh(),await new Promise(t=>setTimeout(t,Math.min(1e3*2**e,1e4)*(.5+Math.random()/2)))}})}return tt}function rt(){tt?.dispose(),tt=null}function it(e,t,n,r){return nt().subscribe({query:e.toString(),variables:t},{next:e=>{e.errors?.length?r($e(qe(e.errors))):e.data&&n(e.data)},error:e=>{Array.isArray(e)?r($e(qe(e))):e instanceof CloseEvent&&e.code===4403?r($e(new W(`signedOut`,`signed out`))):r(new W(navigator.onLine?`server`:`offline`,`the live connection was lost`))},complete:()=>r()})}var K=class extends String{__apiType;value;__meta__;constructor(e,t){super(e),this.value=e,this.__meta__=t}toString(){return this.value}},at=new K(`
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
    `,{fragmentName:`ActionFields`}),ot=new K(`
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
}`,{fragmentName:`StepFields`}),st={"\n  query Me {\n    me { id email displayName timeZone needsReauth googleConnected scopes lastSyncAt }\n  }\n":new K(`
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
    `),"\n  query SyncStatuses {\n    syncStatus { service state lastSyncAt itemCount error updatedAt }\n  }\n":new K(`
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
    `),"\n  subscription SyncProgress {\n    syncProgress { service state lastSyncAt itemCount error updatedAt }\n  }\n":new K(`
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
    `),"\n  mutation SyncNow($service: Service!) {\n    syncNow(service: $service) { service state lastSyncAt itemCount error updatedAt }\n  }\n":new K(`
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
    `),"\n  query Conversations($first: Int, $after: String) {\n    conversations(first: $first, after: $after) {\n      edges { node { id title updatedAt messageCount } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n":new K(`
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
    `),"\n  fragment ActionFields on Action { id stepId kind service summary status result error }\n":at,"\n  fragment StepFields on StepResult {\n    stepId service operation status error reason durationMs\n    items { service kind itemId nodeId title snippet at }\n    actions { ...ActionFields }\n  }\n":ot,"\n  query Conversation($id: ID!, $after: String) {\n    conversation(id: $id) {\n      id title\n      messages(first: 50, after: $after) {\n        edges {\n          node {\n            id query status response error\n            plan { id service operation }\n            stepResults { ...StepFields }\n            actions { ...ActionFields }\n            citations { service itemId title url }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n":new K(`
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
}`),"\n  mutation Ask($input: AskInput!) {\n    ask(input: $input) {\n      message { id query status }\n      conversation { id title }\n    }\n  }\n":new K(`
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
    `),"\n  subscription Answer($messageId: ID!) {\n    answer(messageId: $messageId) {\n      type seq status detail stepId token text error messageStatus\n      step { ...StepFields }\n      action { ...ActionFields }\n      citations { service itemId title url }\n    }\n  }\n":new K(`
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
}`),"\n  mutation ConfirmAction($messageId: ID!, $actionId: String!) {\n    confirmAction(messageId: $messageId, actionId: $actionId) { action { ...ActionFields } }\n  }\n":new K(`
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
}`),"\n  mutation RejectAction($messageId: ID!, $actionId: String!) {\n    rejectAction(messageId: $messageId, actionId: $actionId) { action { ...ActionFields } }\n  }\n":new K(`
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
}`),"\n  mutation CancelAsk($messageId: ID!) {\n    cancelAsk(messageId: $messageId) { message { id status } }\n  }\n":new K(`
    mutation CancelAsk($messageId: ID!) {
  cancelAsk(messageId: $messageId) {
    message {
      id
      status
    }
  }
}
    `),"\n  query Emails($filter: EmailFilter, $first: Int, $after: String) {\n    emails(filter: $filter, first: $first, after: $after) {\n      edges { cursor node { id subject snippet receivedAt unread hasAttachment labels from { name email } } }\n      pageInfo { hasNextPage endCursor }\n      totalCount\n    }\n  }\n":new K(`
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
    `),"\n  query Events($filter: EventFilter, $first: Int, $after: String) {\n    events(filter: $filter, first: $first, after: $after) {\n      edges { cursor node { id title start end allDay location attendees { email name } } }\n      pageInfo { hasNextPage endCursor }\n      totalCount\n    }\n  }\n":new K(`
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
    `),"\n  query Files($filter: FileFilter, $first: Int, $after: String) {\n    files(filter: $filter, first: $first, after: $after) {\n      edges { cursor node { id name mimeType preview modifiedAt owners } }\n      pageInfo { hasNextPage endCursor }\n      totalCount\n    }\n  }\n":new K(`
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
    `),"\n  query Search($query: String!, $first: Int) {\n    search(query: $query, first: $first) {\n      text\n      filters {\n        services from to labels after before attendees mimeTypes hasAttachment unread\n        sources { field words start end }\n      }\n      hits {\n        score\n        legs { leg rank }\n        item {\n          __typename\n          ... on Email { id subject snippet receivedAt from { name email } }\n          ... on Event { id title start end location }\n          ... on File { id name mimeType modifiedAt preview }\n        }\n      }\n    }\n  }\n":new K(`
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
    `),"\n  query Node($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Email {\n        id subject body receivedAt labels hasAttachment threadId\n        from { name email } to { name email } cc { name email }\n      }\n      ... on Event {\n        id title description location start end allDay timeZone organizer status htmlLink\n        attendees { email name responseStatus organizer }\n      }\n      ... on File {\n        id name mimeType preview owners modifiedAt webViewLink parentFolder trashed\n        properties { key value }\n      }\n    }\n  }\n":new K(`
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
    `)};function q(e){return st[e]??{}}var ct=q(`
  query Me {
    me { id email displayName timeZone needsReauth googleConnected scopes lastSyncAt }
  }
`),lt=q(`
  query SyncStatuses {
    syncStatus { service state lastSyncAt itemCount error updatedAt }
  }
`),ut=q(`
  subscription SyncProgress {
    syncProgress { service state lastSyncAt itemCount error updatedAt }
  }
`),dt=q(`
  mutation SyncNow($service: Service!) {
    syncNow(service: $service) { service state lastSyncAt itemCount error updatedAt }
  }
`),ft=q(`
  query Conversations($first: Int, $after: String) {
    conversations(first: $first, after: $after) {
      edges { node { id title updatedAt messageCount } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);q(`
  fragment ActionFields on Action { id stepId kind service summary status result error }
`),q(`
  fragment StepFields on StepResult {
    stepId service operation status error reason durationMs
    items { service kind itemId nodeId title snippet at }
    actions { ...ActionFields }
  }
`);var pt=q(`
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
`),mt=q(`
  mutation Ask($input: AskInput!) {
    ask(input: $input) {
      message { id query status }
      conversation { id title }
    }
  }
`),ht=q(`
  subscription Answer($messageId: ID!) {
    answer(messageId: $messageId) {
      type seq status detail stepId token text error messageStatus
      step { ...StepFields }
      action { ...ActionFields }
      citations { service itemId title url }
    }
  }
`),gt=q(`
  mutation ConfirmAction($messageId: ID!, $actionId: String!) {
    confirmAction(messageId: $messageId, actionId: $actionId) { action { ...ActionFields } }
  }
`),_t=q(`
  mutation RejectAction($messageId: ID!, $actionId: String!) {
    rejectAction(messageId: $messageId, actionId: $actionId) { action { ...ActionFields } }
  }
`),vt=q(`
  mutation CancelAsk($messageId: ID!) {
    cancelAsk(messageId: $messageId) { message { id status } }
  }
`),yt=q(`
  query Emails($filter: EmailFilter, $first: Int, $after: String) {
    emails(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id subject snippet receivedAt unread hasAttachment labels from { name email } } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`),bt=q(`
  query Events($filter: EventFilter, $first: Int, $after: String) {
    events(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id title start end allDay location attendees { email name } } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`),xt=q(`
  query Files($filter: FileFilter, $first: Int, $after: String) {
    files(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id name mimeType preview modifiedAt owners } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }
`),St=q(`
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
`),Ct=q(`
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
`),wt=Symbol.for(`pv`),Tt=0;Array.isArray;function J(t,n,r,i,a,o){n||={};var s,c,l=n;if(`ref`in l&&typeof t!=`function`)for(c in l={},n)c==`ref`?s=n[c]:l[c]=n[c];var u={type:t,props:l,key:r,ref:s,__k:null,__:null,__b:0,__e:null,__c:null,constructor:wt,__v:--Tt,__i:-1,__u:0};return(a||o)&&(u.__source=a,u.__self=o),e.vnode&&e.vnode(u),u}function Et({expired:e,onIn:t}){let n=Ge(),[r,i]=I(``),[a,o]=I(``);return J(`main`,{class:`center signin`,children:[J(`h1`,{children:`Workspace Orchestrator`}),J(`p`,{class:`lede`,children:`Ask about your Gmail, Calendar and Drive in plain words, and act on the answers.`}),e&&J(`p`,{class:`problem`,role:`alert`,children:[J(`strong`,{children:`You are signed out.`}),` Sign in again to continue.`]}),J(`a`,{class:`button primary`,href:We.google,children:`Sign in with Google`}),n&&J(`button`,{type:`button`,class:`button`,onClick:()=>U.enterDemo().then(t,e=>i(e.message)),children:[`Enter the demo as `,n]}),r&&J(`p`,{class:`problem`,role:`alert`,children:r}),J(`details`,{children:[J(`summary`,{children:`Use an operator token`}),J(`form`,{onSubmit:e=>{e.preventDefault(),U.useToken(a),t()},children:[J(`label`,{for:`token`,children:[`Token from `,J(`code`,{children:`orchestrator token --email …`})]}),J(`input`,{id:`token`,name:`token`,type:`password`,autocomplete:`off`,required:!0,value:a,onInput:e=>o(e.currentTarget.value)}),J(`button`,{type:`submit`,children:`Use token`})]})]})]})}function Dt(e){let[t,n=``]=e.replace(/^#\/?/,``).split(`?`),[r,...i]=t.split(`/`),a=i.length?decodeURIComponent(i.join(`/`)):void 0;switch(r){case`mail`:case`calendar`:case`files`:return{view:r};case`item`:if(a)return{view:`item`,id:a};break;case`search`:return{view:`search`,q:new URLSearchParams(n).get(`q`)??``};case`chat`:return{view:`chat`,id:a}}return{view:`chat`}}function Y(e){switch(e.view){case`chat`:return e.id?`#/chat/${encodeURIComponent(e.id)}`:`#/chat`;case`item`:return`#/item/${encodeURIComponent(e.id)}`;case`search`:return`#/search?${new URLSearchParams({q:e.q})}`;default:return`#/${e.view}`}}function Ot(e){location.hash=Y(e)}function kt(){let[e,t]=I(()=>Dt(location.hash));return L(()=>{let e=()=>t(Dt(location.hash));return addEventListener(`hashchange`,e),()=>removeEventListener(`hashchange`,e)},[]),e}var At=new Intl.DateTimeFormat(void 0,{dateStyle:`medium`,timeStyle:`short`}),jt=new Intl.DateTimeFormat(void 0,{dateStyle:`medium`});function X(e,t=!1){if(!e)return``;let n=new Date(e);return(t?jt:At).format(n)}function Mt(e,t=Date.now()){if(!e)return`never`;let n=Math.round((t-new Date(e).getTime())/1e3);return n<45?`just now`:n<3600?`${Math.round(n/60)} min ago`:n<86400?`${Math.round(n/3600)} h ago`:jt.format(new Date(e))}var Z={GMAIL:`Gmail`,CALENDAR:`Calendar`,DRIVE:`Drive`};function Nt(e){return e.name?`${e.name} <${e.email}>`:e.email}function Pt(e){return{"application/vnd.google-apps.document":`Document`,"application/vnd.google-apps.spreadsheet":`Spreadsheet`,"application/vnd.google-apps.presentation":`Presentation`,"application/vnd.google-apps.folder":`Folder`,"application/pdf":`PDF`,"text/plain":`Text`,"text/markdown":`Markdown`,"text/csv":`CSV`}[e]??(e.startsWith(`image/`)?`Image`:e)}var Ft=[[``,`Any type`],[`application/vnd.google-apps.document`,`Documents`],[`application/vnd.google-apps.spreadsheet`,`Spreadsheets`],[`application/vnd.google-apps.presentation`,`Presentations`],[`application/pdf`,`PDFs`],[`text/plain`,`Text files`],[`text/markdown`,`Markdown`]];function Q({error:e,retry:t,onSignIn:n}){let{title:r,action:i}=Je(e),a=e instanceof W?e.kind:`server`;return J(`div`,{class:`problem`,role:`alert`,children:[J(`p`,{children:[J(`strong`,{children:r}),` `,i]}),a===`reauth`&&J(`a`,{class:`button`,href:e.loginUrl||We.google,children:`Reconnect Google`}),a===`signedOut`&&n&&J(`button`,{type:`button`,onClick:n,children:`Sign in`}),t&&a!==`signedOut`&&a!==`reauth`&&J(`button`,{type:`button`,onClick:t,children:`Try again`})]})}var It=e=>e===`PENDING`||e===`RUNNING`;function Lt(e){let t=t=>{let n=e.plan.find(e=>e.id===t);return n?`${Z[n.service]}: ${n.operation}`:t};return{id:e.id,query:e.query,status:e.status,progress:``,steps:e.stepResults.map(e=>({stepId:e.stepId,label:t(e.stepId),result:e})),text:e.response,actions:e.actions,citations:e.citations,error:e.error,seq:0}}async function Rt(e){let t=[],n=null;for(;;){let r=(await G(pt,{id:e,after:n})).conversation.messages;if(t.push(...r.edges.map(e=>Lt(e.node))),!r.pageInfo.hasNextPage||!r.pageInfo.endCursor)return t;n=r.pageInfo.endCursor}}function zt(e,t){if(t.seq>0&&t.seq<=e.seq)return e;switch(e={...e,seq:Math.max(e.seq,t.seq)},t.type){case`STATUS`:return t.stepId||(e.progress=t.detail||t.status||``),e.status===`PENDING`&&(e.status=`RUNNING`),t.stepId&&!e.steps.some(e=>e.stepId===t.stepId)&&(e.steps=[...e.steps,{stepId:t.stepId,label:t.detail||t.stepId}]),e;case`STEP_RESULT`:{let n=t.step,r=`${Z[n.service]}: ${n.operation}`;return e.steps=e.steps.some(e=>e.stepId===n.stepId)?e.steps.map(e=>e.stepId===n.stepId?{stepId:e.stepId,label:r,result:n}:e):[...e.steps,{stepId:n.stepId,label:r,result:n}],e}case`TOKEN`:return e.text+=t.token??``,e.progress=``,e;case`ACTION_PROPOSED`:return e.actions=Bt(e.actions,t.action),e;case`DONE`:return e.text=t.text??e.text,e.citations=t.citations??e.citations,e.status=t.messageStatus??`DONE`,e.progress=``,e;case`ERROR`:return e.error=t.error??`The ask failed.`,e.status=t.messageStatus??`FAILED`,e.progress=``,e}return e}function Bt(e,t){return e.some(e=>e.id===t.id)?e.map(e=>e.id===t.id?t:e):[...e,t]}function Vt({conversationId:e,onConversation:t}){let[n,r]=I([]),[i,a]=I(),[o,s]=I(!1),[c,l]=I(``),u=R(new Map),d=R(void 0),f=R(null),p=R(!0),m=R(null),h=(e,t)=>r(n=>n.map(n=>n.id===e?t(n):n)),g=e=>{if(u.current.has(e))return;let t=it(ht,{messageId:e},t=>h(e,e=>zt(e,t.answer)),t=>{u.current.delete(e),t&&h(e,e=>It(e.status)?{...e,error:`The live answer was interrupted; reload the conversation to see it.`,progress:``}:e)});u.current.set(e,t)};L(()=>()=>u.current.forEach(e=>e()),[]),L(()=>{a(void 0),e&&e===d.current||(u.current.forEach(e=>e()),u.current.clear(),d.current=e,r([]),e?(s(!0),Rt(e).then(e=>{s(!1),r(e.map(e=>It(e.status)?{...e,text:``,steps:[]}:e)),e.filter(e=>It(e.status)).forEach(e=>g(e.id))},e=>{s(!1),a(e)})):m.current?.focus())},[e]),L(()=>{let e=f.current;e&&p.current&&(e.scrollTop=e.scrollHeight)},[n]);let _=n.find(e=>It(e.status)),v=async e=>{a(void 0);try{let n=await G(mt,{input:{query:e,conversationId:d.current??null,clientRequestId:crypto.randomUUID?.()??String(Date.now())}}),i=n.ask.message;r(e=>[...e,{id:i.id,query:i.query,status:i.status,progress:`Starting…`,steps:[],text:``,actions:[],citations:[],error:``,seq:0}]),g(i.id),p.current=!0,d.current!==n.ask.conversation.id&&(d.current=n.ask.conversation.id,Ot({view:`chat`,id:n.ask.conversation.id})),t(),l(``)}catch(e){a(e)}},y=async(e,t,n)=>{h(e.id,e=>({...e,actions:Bt(e.actions,{...t,status:t.status,result:n?`Working…`:``})}));try{let r={messageId:e.id,actionId:t.id},i=n?(await G(gt,r)).confirmAction.action:(await G(_t,r)).rejectAction.action;h(e.id,e=>({...e,actions:Bt(e.actions,i)}))}catch(n){h(e.id,e=>({...e,actions:Bt(e.actions,t)})),a(n)}},b=e=>G(vt,{messageId:e.id}).then(t=>h(e.id,e=>({...e,status:t.cancelAsk.message.status,progress:``})),a);return J(`div`,{class:`chat`,children:[J(`h1`,{class:`sr`,children:`Ask`}),J(`div`,{class:`turns`,ref:f,role:`log`,"aria-label":`Conversation`,"aria-busy":!!_,onScroll:e=>{let t=e.currentTarget;p.current=t.scrollHeight-t.scrollTop-t.clientHeight<80},children:[o&&J(`p`,{role:`status`,children:`Loading the conversation…`}),!o&&!n.length&&!e&&J(Ut,{onPick:v}),n.map(e=>J(Gt,{turn:e,onDecide:(t,n)=>y(e,t,n)},e.id))]}),i?J(Q,{error:i}):null,J(`form`,{class:`composer`,onSubmit:e=>{e.preventDefault(),c.trim()&&!_&&v(c.trim())},children:[J(`label`,{for:`ask`,class:`sr`,children:n.length?`Ask a follow-up`:`Ask about your mail, calendar and files`}),J(`textarea`,{id:`ask`,ref:m,rows:2,placeholder:n.length?`Ask a follow-up…`:`Ask about your mail, calendar and files…`,value:c,onInput:e=>l(e.currentTarget.value),onKeyDown:e=>{e.key===`Enter`&&!e.shiftKey&&(e.preventDefault(),e.currentTarget.form?.requestSubmit())}}),_?J(`button`,{type:`button`,class:`danger`,onClick:()=>b(_),children:`Stop`}):J(`button`,{type:`submit`,class:`primary`,disabled:!c.trim(),children:`Send`})]})]})}var Ht=[`What is on my calendar next week?`,`Emails about the budget from last month`,`Find the latest design documents`];function Ut({onPick:e}){return J(`div`,{class:`welcome`,children:[J(`h2`,{children:`What would you like to know?`}),J(`p`,{class:`muted`,children:`Ask about your mail, calendar and files. Anything that would send, change or share is shown to you first.`}),J(`ul`,{class:`examples`,children:Ht.map(t=>J(`li`,{children:J(`button`,{type:`button`,onClick:()=>e(t),children:t})},t))})]})}var Wt={SUCCEEDED:`done`,FAILED:`failed`,SKIPPED:`skipped`,CANCELLED:`cancelled`};function Gt({turn:e,onDecide:t}){let n=new Map;e.steps.forEach(e=>e.result?.items.forEach(e=>e.nodeId&&n.set(e.itemId,e.nodeId)));let r=It(e.status);return J(`article`,{class:`turn`,"aria-label":`Ask: ${e.query}`,children:[J(`p`,{class:`you`,children:[J(`span`,{class:`sr`,children:`You asked: `}),e.query]}),J(`div`,{class:`assistant`,children:[e.steps.length>0&&J(`details`,{class:`steps`,open:r,children:[J(`summary`,{children:[e.steps.length,` step`,e.steps.length>1?`s`:``]}),J(`ol`,{children:e.steps.map(e=>J(`li`,{class:`step ${e.result?Wt[e.result.status]:`running`}`,children:[J(`span`,{children:e.label}),` `,J(`span`,{class:`muted small`,children:e.result?e.result.status===`SUCCEEDED`?`${e.result.items.length} item${e.result.items.length===1?``:`s`} · ${Math.round(e.result.durationMs)} ms`:`${Wt[e.result.status]}${e.result.error||e.result.reason?`: `+(e.result.error||e.result.reason):``}`:`running…`})]},e.stepId))})]}),r&&e.progress&&J(`p`,{class:`progress muted`,role:`status`,children:e.progress}),J(`div`,{class:`answer`,"aria-live":`polite`,"aria-busy":r,children:[J(Kt,{text:e.text,citations:e.citations,nodes:n}),r&&e.text&&J(`span`,{class:`cursor`,"aria-hidden":`true`})]}),e.actions.map(e=>J(Jt,{action:e,onDecide:n=>t(e,n)},e.id)),e.citations.length>0&&J(`div`,{class:`citations`,children:[J(`h3`,{class:`small`,children:`Sources`}),J(`ul`,{children:e.citations.map(e=>{let t=n.get(e.itemId);return J(`li`,{children:[t?J(`a`,{href:Y({view:`item`,id:t}),children:e.title||e.itemId}):e.url?J(`a`,{href:e.url,target:`_blank`,rel:`noreferrer`,children:e.title||e.itemId}):e.title,` `,J(`span`,{class:`muted small`,children:Z[e.service]??e.service})]},e.itemId)})})]}),e.status===`CANCELLED`&&J(`p`,{class:`muted`,children:`Stopped.`}),e.status===`FAILED`&&e.error&&J(`p`,{class:`problem`,role:`alert`,children:[J(`strong`,{children:`This ask failed.`}),` `,e.error]})]})]})}function Kt({text:e,citations:t,nodes:n}){return J(y,{children:e.split(/(\[\d+\])/).map((e,r)=>{let i=/^\[(\d+)\]$/.exec(e),a=i?t[Number(i[1])-1]:void 0,o=a&&n.get(a.itemId);return o?J(`a`,{href:Y({view:`item`,id:o}),title:a.title,"aria-label":`source ${i[1]}: ${a.title}`,children:e},r):e})})}var qt={SEND_EMAIL:`Send email`,CREATE_EVENT:`Create event`,UPDATE_EVENT:`Change event`,DELETE_EVENT:`Delete event`,SHARE_FILE:`Share file`};function Jt({action:e,onDecide:t}){let n=e.status===`PROPOSED`&&e.result===`Working…`;return J(`section`,{class:`action action-${e.status.toLowerCase()}`,"aria-label":`Proposed action: ${qt[e.kind]??e.kind}`,children:[J(`h3`,{children:qt[e.kind]??e.kind}),J(`p`,{class:`summary`,children:e.summary}),e.status===`PROPOSED`&&J(`div`,{class:`buttons`,children:[J(`button`,{type:`button`,class:`primary`,disabled:n,onClick:()=>t(!0),children:n?`Working…`:`Confirm`}),J(`button`,{type:`button`,disabled:n,onClick:()=>t(!1),children:`Reject`})]}),J(`p`,{role:`status`,class:`outcome`,children:[e.status===`EXECUTED`&&J(y,{children:[`Done`,e.result?`: ${e.result}`:`.`]}),e.status===`REJECTED`&&`Rejected: nothing was done.`,e.status===`FAILED`&&J(y,{children:[`It failed: `,e.error,` `,J(`button`,{type:`button`,class:`small`,onClick:()=>t(!0),children:`Try again`})]})]})]})}function Yt(e,t,n=!1){let r=JSON.stringify(t),[i,a]=I({loading:!n}),[o,s]=I(0);L(()=>{if(n)return;let r=!0;return a(e=>({data:e.data,loading:!0})),G(e,t).then(e=>r&&a({data:e,loading:!1}),e=>r&&a({error:e,loading:!1})),()=>{r=!1}},[r,o,n]);let c=we(()=>s(e=>e+1),[]);return{...i,reload:c}}function Xt({active:e,version:t}){let{data:n,error:r,reload:i}=Yt(ft,{first:30}),[a,o]=I([]),[s,c]=I();L(()=>{t&&i()},[t]),L(()=>o([]),[n]);let l=a.at(-1)??n?.conversations,u=[n?.conversations,...a].flatMap(e=>e?.edges??[]);return J(`section`,{class:`history`,"aria-labelledby":`history-h`,children:[J(`div`,{class:`section-head`,children:[J(`h2`,{id:`history-h`,children:`Conversations`}),J(`a`,{class:`button small`,href:`#/chat`,children:`New chat`})]}),r?J(Q,{error:r,retry:i}):null,n&&!u.length&&J(`p`,{class:`muted`,children:`No conversations yet.`}),J(`ul`,{children:u.map(({node:t})=>J(`li`,{children:J(`a`,{href:Y({view:`chat`,id:t.id}),"aria-current":t.id===e?`page`:void 0,children:[J(`span`,{class:`title`,children:t.title||`Untitled`}),J(`span`,{class:`muted small`,children:Mt(t.updatedAt)})]})},t.id))}),s?J(Q,{error:s}):null,l?.pageInfo.hasNextPage&&J(`button`,{type:`button`,class:`small`,onClick:()=>G(ft,{first:30,after:l.pageInfo.endCursor}).then(e=>o(t=>[...t,e.conversations]),c),children:`Show older`})]})}var Zt={IDLE:`Up to date`,RUNNING:`Syncing…`,FAILED:`Sync failed`,RATE_LIMITED:`Google asked to wait`,REAUTH_REQUIRED:`Needs reconnecting`,NEVER_SYNCED:`Not synced yet`};function Qt({me:e,onReauth:t}){let[n,r]=I([]),[i,a]=I(),[o,s]=I(0);L(()=>{let e=e=>r(t=>t.some(t=>t.service===e.service)?t.map(t=>t.service===e.service?e:t):[...t,e]);return G(lt).then(e=>r(e.syncStatus),a),it(ut,{},t=>e(t.syncProgress),e=>e&&a(e))},[o]);let c=n.some(e=>e.state===`REAUTH_REQUIRED`);L(()=>{t(c)},[c]);let l=e=>{a(void 0),G(dt,{service:e}).then(t=>r(n=>n.map(n=>n.service===e?t.syncNow:n)),a)};return J(`section`,{class:`sync`,"aria-labelledby":`sync-h`,children:[J(`h2`,{id:`sync-h`,children:`Connected services`}),J(`p`,{class:`small muted account`,children:e.googleConnected?J(y,{children:[`Google account `,J(`strong`,{children:e.email}),` connected`,e.scopes.length?` (${$t(e.scopes)})`:``,`.`]}):J(y,{children:[`Google is not connected.`,` `,J(`a`,{class:`button small`,href:We.google,children:`Connect Google`})]})}),i?J(Q,{error:i,retry:()=>{a(void 0),s(o+1)}}):null,J(`ul`,{children:n.map(e=>J(`li`,{class:`sync-${e.state.toLowerCase()}`,"aria-label":`${Z[e.service]}: ${Zt[e.state]}`,children:[J(`div`,{class:`sync-line`,children:[J(`strong`,{children:Z[e.service]}),J(`span`,{class:`badge`,children:Zt[e.state]})]}),e.state===`RUNNING`&&J(`progress`,{"aria-label":`${Z[e.service]} sync in progress`}),J(`div`,{class:`muted small`,"aria-live":`polite`,children:[e.itemCount.toLocaleString(),` items · synced `,Mt(e.lastSyncAt)]}),e.state===`FAILED`&&J(`details`,{class:`small error-text`,children:[J(`summary`,{children:`It is retried by itself.`}),e.error]}),J(`button`,{type:`button`,class:`small`,disabled:e.state===`RUNNING`||e.state===`REAUTH_REQUIRED`,onClick:()=>l(e.service),children:[`Sync now`,J(`span`,{class:`sr`,children:[` `,Z[e.service]]})]})]},e.service))})]})}function $t(e){return[[`gmail`,`Gmail`],[`calendar`,`Calendar`],[`drive`,`Drive`]].filter(([t])=>e.some(e=>e.includes(t))).map(([,e])=>e).join(`, `)||`no services`}var en={words:``,from:``,labels:``,attendees:``,owner:``,type:``,after:``,before:``,unread:!1,attachment:!1},tn=25;function nn(e){if(e!==`calendar`)return en;let t=new Date,n=`${t.getFullYear()}-${String(t.getMonth()+1).padStart(2,`0`)}-${String(t.getDate()).padStart(2,`0`)}`;return{...en,after:n}}var rn={mail:`Mail`,calendar:`Calendar`,files:`Files`},$=e=>e.split(`,`).map(e=>e.trim()).filter(Boolean),an=(e,t=!1)=>e?new Date(`${e}T00:00:00`).getTime()+(t?864e5:0):0,on=e=>e?new Date(e).toISOString():null;async function sn(e,t,n){let r={after:on(an(t.after)),before:on(an(t.before,!0)),query:t.words||null};if(e===`mail`){let e=(await G(yt,{filter:{...r,from:$(t.from).length?$(t.from):null,labels:$(t.labels).length?$(t.labels).map(e=>e.toUpperCase()):null,unread:t.unread||null,hasAttachment:t.attachment||null},first:tn,after:n})).emails;return{rows:e.edges.map(({node:e})=>({id:e.id,title:e.subject||`(no subject)`,meta:`${Nt(e.from)} · ${X(e.receivedAt)}`,snippet:e.snippet,unread:e.unread})),next:e.pageInfo.hasNextPage?e.pageInfo.endCursor??null:null,total:e.totalCount}}if(e===`calendar`){let e=(await G(bt,{filter:{...r,attendees:$(t.attendees).length?$(t.attendees):null},first:tn,after:n})).events;return{rows:e.edges.map(({node:e})=>({id:e.id,title:e.title||`(no title)`,meta:`${X(e.start,e.allDay)}${e.location?` · `+e.location:``}`,snippet:e.attendees.map(e=>e.name||e.email).join(`, `)})),next:e.pageInfo.hasNextPage?e.pageInfo.endCursor??null:null,total:e.totalCount}}let i=(await G(xt,{filter:{...r,mimeTypes:t.type?[t.type]:null,owners:$(t.owner).length?$(t.owner):null},first:tn,after:n})).files;return{rows:i.edges.map(({node:e})=>({id:e.id,title:e.name,meta:`${Pt(e.mimeType)} · ${X(e.modifiedAt)} · ${e.owners.join(`, `)}`,snippet:e.preview})),next:i.pageInfo.hasNextPage?i.pageInfo.endCursor??null:null,total:i.totalCount}}function cn({kind:e}){let[t,n]=I(()=>nn(e)),[r,i]=I(()=>nn(e)),[a,o]=I([]),[s,c]=I(null),[l,u]=I(null),[d,f]=I(!1),[p,m]=I(),h=R(null),g=R(0),_=async t=>{let n=g.current;f(!0),m(void 0);try{let i=await sn(e,r,t);if(n!==g.current)return;o(e=>t?[...e,...i.rows]:i.rows),c(i.next),u(i.total)}catch(e){n===g.current&&m(e)}finally{n===g.current&&f(!1)}};L(()=>{g.current++,o([]),c(null),u(null),_(null)},[e,r]),L(()=>{let e=h.current;if(!e||!s||d||p)return;let t=new IntersectionObserver(e=>e.some(e=>e.isIntersecting)&&_(s),{rootMargin:`300px`});return t.observe(e),()=>t.disconnect()},[s,d,p]);let v=e=>r=>{let i=r.currentTarget;n({...t,[e]:i.type===`checkbox`?i.checked:i.value})},b=(e,n,r=`text`,i=``)=>J(`label`,{class:`field`,children:[J(`span`,{children:n}),r===`date`?J(`input`,{type:`date`,name:e,value:t[e],onInput:v(e)}):J(`input`,{type:`text`,name:e,value:t[e],placeholder:i,onInput:v(e)})]});return J(`div`,{class:`browse`,children:[J(`h1`,{children:rn[e]}),J(`form`,{class:`filters`,"aria-label":`Filter ${rn[e].toLowerCase()}`,onSubmit:e=>{e.preventDefault(),i(t)},children:[b(`words`,`Words`,`text`,`Any words`),e===`mail`&&b(`from`,`From`,`text`,`name@example.com`),e===`mail`&&b(`labels`,`Labels`,`text`,`INBOX, IMPORTANT`),e===`calendar`&&b(`attendees`,`Attendees`,`text`,`name@example.com`),e===`files`&&J(`label`,{class:`field`,children:[J(`span`,{children:`File type`}),J(`select`,{name:`type`,value:t.type,onChange:v(`type`),children:Ft.map(([e,t])=>J(`option`,{value:e,children:t},e))})]}),e===`files`&&b(`owner`,`Owner`,`text`,`name@example.com`),b(`after`,`From date`,`date`),b(`before`,`To date`,`date`),e===`mail`&&J(y,{children:[J(`label`,{class:`check`,children:[J(`input`,{type:`checkbox`,name:`unread`,checked:t.unread,onChange:v(`unread`)}),` Unread`]}),J(`label`,{class:`check`,children:[J(`input`,{type:`checkbox`,name:`attachment`,checked:t.attachment,onChange:v(`attachment`)}),` Has attachment`]})]}),J(`div`,{class:`buttons`,children:[J(`button`,{type:`submit`,class:`primary`,children:`Apply`}),J(`button`,{type:`button`,onClick:()=>{n(en),i(en)},children:`Clear`})]})]}),J(`p`,{class:`muted small`,role:`status`,children:l===null?`Loading…`:`${a.length} of ${l.toLocaleString()} shown`}),J(`ul`,{class:`items`,"aria-label":rn[e],children:a.map(e=>J(`li`,{class:e.unread?`unread`:void 0,children:J(`a`,{href:Y({view:`item`,id:e.id}),children:[J(`span`,{class:`title`,children:e.title}),J(`span`,{class:`meta muted small`,children:e.meta}),e.snippet&&J(`span`,{class:`snippet small`,children:e.snippet})]})},e.id))}),p?J(Q,{error:p,retry:()=>_(s)}):null,J(`div`,{ref:h,class:`sentinel`,children:[s&&!p&&J(`button`,{type:`button`,disabled:d,onClick:()=>_(s),children:d?`Loading…`:`Load more`}),!s&&l!==null&&a.length>0&&J(`p`,{class:`muted small`,children:`That is all.`}),!s&&l===0&&J(`p`,{class:`muted`,children:`Nothing matches.`})]})]})}function ln({id:e}){let{data:t,error:n,loading:r,reload:i}=Yt(Ct,{id:e}),a=t?.node;return J(`article`,{class:`reader`,children:[J(`button`,{type:`button`,class:`small`,onClick:()=>history.back(),children:`← Back`}),r&&J(`p`,{role:`status`,children:`Loading…`}),n?J(Q,{error:n,retry:i}):null,a?.__typename===`Email`&&J(y,{children:[J(`h1`,{children:a.subject||`(no subject)`}),J(`dl`,{class:`facts`,children:[J(`dt`,{children:`From`}),J(`dd`,{children:Nt(a.from)}),a.to.length>0&&J(y,{children:[J(`dt`,{children:`To`}),J(`dd`,{children:a.to.map(Nt).join(`, `)})]}),a.cc.length>0&&J(y,{children:[J(`dt`,{children:`Cc`}),J(`dd`,{children:a.cc.map(Nt).join(`, `)})]}),J(`dt`,{children:`Received`}),J(`dd`,{children:X(a.receivedAt)}),a.labels.length>0&&J(y,{children:[J(`dt`,{children:`Labels`}),J(`dd`,{children:a.labels.join(`, `)})]})]}),J(`div`,{class:`body-text`,children:a.body})]}),a?.__typename===`Event`&&J(y,{children:[J(`h1`,{children:a.title||`(no title)`}),J(`dl`,{class:`facts`,children:[J(`dt`,{children:`When`}),J(`dd`,{children:[X(a.start,a.allDay),` – `,X(a.end,a.allDay),` `,a.timeZone&&J(`span`,{class:`muted`,children:[`(`,a.timeZone,`)`]})]}),a.location&&J(y,{children:[J(`dt`,{children:`Where`}),J(`dd`,{children:a.location})]}),J(`dt`,{children:`Organiser`}),J(`dd`,{children:a.organizer}),J(`dt`,{children:`Status`}),J(`dd`,{children:a.status})]}),a.attendees.length>0&&J(y,{children:[J(`h2`,{children:`Attendees`}),J(`ul`,{children:a.attendees.map(e=>J(`li`,{children:[e.name?`${e.name} <${e.email}>`:e.email,` `,J(`span`,{class:`muted small`,children:e.responseStatus})]},e.email))})]}),a.description&&J(`div`,{class:`body-text`,children:a.description})]}),a?.__typename===`File`&&J(y,{children:[J(`h1`,{children:a.name}),J(`dl`,{class:`facts`,children:[J(`dt`,{children:`Type`}),J(`dd`,{children:Pt(a.mimeType)}),J(`dt`,{children:`Owners`}),J(`dd`,{children:a.owners.join(`, `)}),J(`dt`,{children:`Modified`}),J(`dd`,{children:X(a.modifiedAt)}),a.properties.map(e=>J(y,{children:[J(`dt`,{children:e.key}),J(`dd`,{children:e.value})]}))]}),J(`div`,{class:`body-text`,children:a.preview})]})]})}var un={services:`In`,from:`From`,to:`To`,attendees:`With`,labels:`Label`,mimeTypes:`Type`,after:`After`,before:`Before`,hasAttachment:`Attachment`,unread:`Unread`},dn={FULLTEXT:`words`,VECTOR:`meaning`,FILTERED:`filters`,IDENTIFIER:`name or id`};function fn(e,t){let n=new TextEncoder().encode(e),r=new TextDecoder;return(r.decode(n.slice(0,t.start))+` `+r.decode(n.slice(t.end))).replace(/\s+/g,` `).trim()}function pn({q:e}){let{data:t,error:n,loading:r,reload:i}=Yt(St,{query:e,first:30},!e),a=t?.search;return J(`div`,{class:`search`,children:[J(`h1`,{children:`Search`}),J(`p`,{class:`muted`,children:[`Results for `,J(`q`,{children:e})]}),a&&a.filters.sources.length>0&&J(`div`,{class:`chips`,role:`group`,"aria-label":`Filters read from your words`,children:a.filters.sources.map(t=>J(`span`,{class:`chip`,children:[J(`span`,{children:[J(`span`,{class:`field-name`,children:un[t.field]??t.field}),` `,t.words]}),J(`button`,{type:`button`,"aria-label":`Remove filter ${un[t.field]??t.field}: ${t.words}`,onClick:()=>{let n=fn(e,t);n&&Ot({view:`search`,q:n})},children:`×`})]},`${t.field}-${t.start}`))}),n?J(Q,{error:n,retry:i}):null,r&&J(`p`,{role:`status`,children:`Searching…`}),a&&!a.hits.length&&J(`p`,{children:`Nothing found. Try fewer words or remove a filter.`}),J(`ol`,{class:`items`,"aria-label":`Search results`,children:a?.hits.map((e,t)=>{let n=e.item;if(!n)return null;let r=``,i=``,a=``,o=``;return n.__typename===`Email`?[o,r,i,a]=[`Email`,n.subject||`(no subject)`,`${Nt(n.from)} · ${X(n.receivedAt)}`,n.snippet]:n.__typename===`Event`?[o,r,i,a]=[`Event`,n.title,X(n.start),n.location]:n.__typename===`File`&&([o,r,i,a]=[Pt(n.mimeType),n.name,X(n.modifiedAt),n.preview]),J(`li`,{children:J(`a`,{href:Y({view:`item`,id:n.id}),children:[J(`span`,{class:`title`,children:[J(`span`,{class:`badge`,children:o}),` `,r]}),J(`span`,{class:`meta muted small`,children:[i,` · matched by `,e.legs.map(e=>dn[e.leg]??e.leg).join(`, `)]}),a&&J(`span`,{class:`snippet small`,children:a})]})},t)})})]})}var mn=[{view:`chat`,label:`Ask`},{view:`mail`,label:`Mail`},{view:`calendar`,label:`Calendar`},{view:`files`,label:`Files`}];function hn({me:e,onSignOut:t}){let n=kt(),[r,i]=I(!1),a=vn(),[o,s]=I(!1),[c,l]=I(0);return L(()=>i(!1),[n]),L(()=>{let e=e=>{let t=e.target;e.key!==`/`||e.ctrlKey||e.metaKey||e.altKey||t.isContentEditable||/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)||(e.preventDefault(),document.getElementById(`q`)?.focus())};return addEventListener(`keydown`,e),()=>removeEventListener(`keydown`,e)},[]),J(`div`,{class:`shell`,children:[J(`a`,{class:`skip`,href:`#main`,children:`Skip to content`}),J(`header`,{class:`top`,children:[J(`button`,{type:`button`,class:`menu`,"aria-expanded":r,"aria-controls":`side`,onClick:()=>i(!r),children:[J(`span`,{"aria-hidden":`true`,children:`☰`}),J(`span`,{class:`sr`,children:`History and sync`})]}),J(`a`,{class:`brand`,href:`#/chat`,children:`Orchestrator`}),J(_n,{initial:n.view===`search`?n.q:``}),J(`div`,{class:`user`,children:[J(`span`,{class:`who`,title:e.email,children:e.displayName||e.email}),J(`button`,{type:`button`,onClick:t,children:`Sign out`})]})]}),J(`nav`,{class:`tabs`,"aria-label":`Sections`,children:mn.map(e=>J(`a`,{href:Y({view:e.view}),"aria-current":n.view===e.view?`page`:void 0,children:e.label},e.view))}),!a&&J(Q,{error:new W(`offline`,`offline`)}),(e.needsReauth||o)&&J(Q,{error:new W(`reauth`,`reauth`)}),J(`div`,{class:`body`,children:[J(`aside`,{id:`side`,class:r?`side open`:`side`,"aria-label":`History and sync`,onKeyDown:e=>e.key===`Escape`&&i(!1),children:[J(`button`,{type:`button`,class:`close small`,onClick:()=>i(!1),children:`Close`}),J(Xt,{active:n.view===`chat`?n.id:void 0,version:c}),J(Qt,{me:e,onReauth:s})]}),J(`main`,{id:`main`,tabIndex:-1,children:J(gn,{route:n,onConversation:()=>l(e=>e+1)})})]})]})}function gn({route:e,onConversation:t}){switch(e.view){case`chat`:return J(Vt,{conversationId:e.id,onConversation:t});case`mail`:case`calendar`:case`files`:return J(cn,{kind:e.view},e.view);case`item`:return J(ln,{id:e.id});case`search`:return J(pn,{q:e.q})}}function _n({initial:e}){let[t,n]=I(e);return L(()=>n(e),[e]),J(`form`,{role:`search`,class:`searchbox`,onSubmit:e=>{e.preventDefault(),t.trim()&&Ot({view:`search`,q:t.trim()})},children:[J(`label`,{class:`sr`,for:`q`,children:`Search mail, events and files`}),J(`input`,{id:`q`,type:`search`,placeholder:`Search mail, events and files`,value:t,onInput:e=>n(e.currentTarget.value)}),J(`button`,{type:`submit`,children:`Search`})]})}function vn(){let[e,t]=I(navigator.onLine);return L(()=>{let e=()=>t(!0),n=()=>t(!1);return addEventListener(`online`,e),addEventListener(`offline`,n),()=>{removeEventListener(`online`,e),removeEventListener(`offline`,n)}},[]),e}function yn(){let[e,t]=I({phase:`checking`}),n=()=>{G(ct).then(e=>t({phase:`in`,me:e.me}),e=>t(e instanceof W&&e.kind===`signedOut`?{phase:`out`}:{phase:`failed`,error:e}))};switch(L(n,[]),L(()=>Qe(e=>{e.kind===`signedOut`?(rt(),t({phase:`out`,why:e})):t(e=>e.phase===`in`?{...e,me:{...e.me,needsReauth:!0}}:e)}),[]),e.phase){case`checking`:return J(`p`,{class:`loading`,role:`status`,children:`Loading…`});case`failed`:return J(`main`,{class:`center`,children:J(Q,{error:e.error,retry:n})});case`out`:return J(Et,{expired:!!e.why,onIn:n});case`in`:return J(hn,{me:e.me,onSignOut:async()=>{await U.signOut(),rt(),t({phase:`out`})}})}}M(J(yn,{}),document.getElementById(`app`));