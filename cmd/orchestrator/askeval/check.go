package askeval

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// expect is one turn's expectations; the keys are ASK-EVAL.md's.
type expect map[string]any

var serviceOfType = map[string]string{"email": "GMAIL", "event": "CALENDAR", "file": "DRIVE"}

var typeOfService = map[string]string{"GMAIL": "email", "CALENDAR": "event", "DRIVE": "file"}

var kindOp = map[string]string{"SEND_EMAIL": "gmail.send", "CREATE_EVENT": "calendar.create", "UPDATE_EVENT": "calendar.update",
	"DELETE_EVENT": "calendar.delete", "SHARE_FILE": "drive.share"}

func opOf(kind string) string { return cmp.Or(kindOp[kind], kind) }

// asList is Python's as_list: nil is empty, a list stays, anything else is one.
func asList(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{v}
}

func strs(v any) []string {
	var out []string
	for _, x := range asList(v) {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

func lowers(v any) []string {
	out := strs(v)
	for i := range out {
		out[i] = strings.ToLower(out[i])
	}
	return out
}

// truthy is Python's truth of a JSON value.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case float64:
		return x != 0
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

func str(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

func toMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func containsAny(hay string, needles []string) bool {
	for _, n := range needles {
		if strings.Contains(hay, strings.ToLower(n)) {
			return true
		}
	}
	return false
}

// matches says whether it satisfies matcher m (every key given must hold).
func (e *env) matches(ctx context.Context, it item, m map[string]any) (bool, error) {
	if truthy(m["type"]) && it.Type != str(m["type"]) {
		return false, nil
	}
	t := strings.ToLower(it.Title)
	if truthy(m["title_contains"]) && !containsAny(t, strs(m["title_contains"])) {
		return false, nil
	}
	if truthy(m["title_equals"]) && strings.TrimSpace(t) != strings.TrimSpace(strings.ToLower(str(m["title_equals"]))) {
		return false, nil
	}
	if truthy(m["from"]) && (it.Type != "email" || !slices.Contains(lowers(m["from"]), it.From)) {
		return false, nil
	}
	if truthy(m["to"]) && !slices.ContainsFunc(lowers(m["to"]), func(a string) bool { return slices.Contains(it.To, a) }) {
		return false, nil
	}
	if truthy(m["text_contains"]) && !containsAny(strings.ToLower(it.Text), strs(m["text_contains"])) {
		return false, nil
	}
	if truthy(m["folder"]) && !strings.EqualFold(it.Folder, str(m["folder"])) {
		return false, nil
	}
	if truthy(m["owner"]) && !containsAny(strings.Join(it.Owners, " "), strs(m["owner"])) {
		return false, nil
	}
	if truthy(m["attendee"]) && !containsAny(strings.ToLower(strings.Join(it.Names, " | ")), strs(m["attendee"])) {
		return false, nil
	}
	if truthy(m["window"]) {
		start, end, err := e.window(ctx, str(m["window"]))
		if err != nil {
			return false, err
		}
		at := it.At
		if at.IsZero() || (!start.IsZero() && at.Before(start) && (it.End.IsZero() || !it.End.After(start))) ||
			(!end.IsZero() && !at.Before(end)) {
			return false, nil
		}
	}
	return true, nil
}

func needsDetail(m map[string]any) bool {
	for _, k := range []string{"from", "to", "text_contains", "folder", "owner", "attendee", "window"} {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

// message is the polled Message.
type message struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Response string `json:"response"`
	Error    string `json:"error"`
	Intent   any    `json:"intent"`
	Plan     []struct {
		ID        string `json:"id"`
		Service   string `json:"service"`
		Operation string `json:"operation"`
		Params    any    `json:"params"`
	} `json:"plan"`
	Actions []struct {
		ID      string   `json:"id"`
		StepID  string   `json:"stepId"`
		Kind    string   `json:"kind"`
		Service string   `json:"service"`
		Summary string   `json:"summary"`
		Targets []string `json:"targets"`
		Status  string   `json:"status"`
	} `json:"actions"`
	StepResults []struct {
		StepID    string     `json:"stepId"`
		Service   string     `json:"service"`
		Operation string     `json:"operation"`
		Status    string     `json:"status"`
		Error     string     `json:"error"`
		Items     []stepItem `json:"items"`
	} `json:"stepResults"`
	Citations []citation `json:"citations"`
}

type stepItem struct {
	Service string   `json:"service"`
	Kind    string   `json:"kind"`
	ItemID  string   `json:"itemId"`
	NodeID  string   `json:"nodeId"`
	Title   string   `json:"title"`
	Snippet string   `json:"snippet"`
	People  []string `json:"people"`
	At      string   `json:"at"`
	End     string   `json:"end"`
}

type citation struct {
	Service string `json:"service"`
	ItemID  string `json:"itemId"`
	Title   string `json:"title"`
	URL     string `json:"url"`
}

// turn is the recorded outcome of one ask.
type turn struct {
	env       *env
	msg       message
	response  string
	stepItems map[string]stepItem // each item's first appearance
	itemOrder []string            // the step items' ids in order
	resolved  map[string]item
}

func newTurn(e *env, msg message) *turn {
	t := &turn{env: e, msg: msg, response: msg.Response, stepItems: map[string]stepItem{}, resolved: map[string]item{}}
	for _, s := range msg.StepResults {
		for _, it := range s.Items {
			if _, ok := t.stepItems[it.ItemID]; !ok {
				t.stepItems[it.ItemID] = it
				t.itemOrder = append(t.itemOrder, it.ItemID)
			}
		}
	}
	return t
}

// resolve is the cited item with its details, or a title-only item when it
// cannot be found.
func (t *turn) resolve(ctx context.Context, c citation) item {
	if it, ok := t.resolved[c.ItemID]; ok {
		return it
	}
	typ := typeOfService[c.Service]
	var found *item
	si, hasSI := t.stepItems[c.ItemID]
	if hasSI && si.NodeID != "" {
		if n, err := t.env.node(ctx, si.NodeID); err == nil {
			found = n
		}
	}
	if found == nil && typ != "" && c.Title != "" {
		if list, err := t.env.searchByTitle(ctx, typ, c.Title); err == nil {
			for _, i := range list {
				if i.ID == c.ItemID {
					found = &i
					break
				}
			}
		}
	}
	var it item
	if found != nil {
		it = *found
	} else {
		it = item{Type: typ, ID: c.ItemID, Title: cmp.Or(c.Title, si.Title), At: parseTime(si.At), End: parseTime(si.End), Unresolved: true}
		if typ == "email" && len(si.People) > 0 {
			it.From = strings.ToLower(si.People[0])
		}
	}
	t.resolved[c.ItemID] = it
	return it
}

func (t *turn) cited(typ string) []citation {
	var out []citation
	for _, c := range t.msg.Citations {
		if typ != "" && c.Service != serviceOfType[typ] {
			continue
		}
		out = append(out, c)
	}
	return out
}

func (t *turn) citedIDs(typ string) []string {
	var out []string
	for _, c := range t.cited(typ) {
		out = append(out, c.ItemID)
	}
	return out
}

func (t *turn) proposed() (kinds []string, summaries []string, targets map[string]bool) {
	targets = map[string]bool{}
	for _, a := range t.msg.Actions {
		if a.Status == "PROPOSED" {
			kinds = append(kinds, opOf(a.Kind))
			summaries = append(summaries, a.Summary)
			for _, x := range a.Targets {
				targets[x] = true
			}
		}
	}
	return kinds, summaries, targets
}

func (t *turn) ops() map[string]bool {
	out := map[string]bool{}
	for _, s := range t.msg.Plan {
		out[strings.ToLower(s.Service)+"."+strings.ToLower(s.Operation)] = true
	}
	return out
}

func (t *turn) services() map[string]bool {
	out := map[string]bool{}
	for _, s := range t.msg.Plan {
		out[strings.ToLower(s.Service)] = true
	}
	return out
}

func (t *turn) stepsRan() bool {
	for _, s := range t.msg.StepResults {
		if s.Status == "SUCCEEDED" || s.Status == "FAILED" {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (e *env) day(t time.Time) string { return t.In(e.tz).Format("Mon Jan 02") }

// checkTurn appends to reasons every expectation of exp the turn misses.
func (e *env) checkTurn(ctx context.Context, t *turn, exp expect, prev *turn, reasons *[]string) error {
	add := func(format string, args ...any) { *reasons = append(*reasons, fmt.Sprintf(format, args...)) }
	msg := t.msg
	if want := cmp.Or(str(exp["status"]), "DONE"); msg.Status != want {
		detail := ""
		if msg.Error != "" {
			detail = ": " + short(msg.Error, 100)
		}
		add("status %s%s", msg.Status, detail)
	}
	var executed []string
	for _, a := range msg.Actions {
		if a.Status == "EXECUTED" || a.Status == "FAILED" {
			executed = append(executed, opOf(a.Kind))
		}
	}
	if len(executed) > 0 {
		add("executed without confirmation: %s", strings.Join(executed, ", "))
	}
	services, ops := t.services(), t.ops()
	opList := cmp.Or(strings.Join(sortedKeys(ops), ", "), "none")
	for _, s := range strs(exp["services"]) {
		if !services[strings.ToLower(s)] {
			add("service %s not planned (plan: %s)", s, opList)
		}
	}
	if truthy(exp["services_exact"]) {
		want := map[string]bool{}
		for _, s := range lowers(exp["services"]) {
			want[s] = true
		}
		var extra []string
		for s := range services {
			if !want[s] {
				extra = append(extra, s)
			}
		}
		if len(extra) > 0 {
			sort.Strings(extra)
			add("unexpected services %s", strings.Join(extra, ", "))
		}
	}
	if truthy(exp["services_any"]) && !slices.ContainsFunc(lowers(exp["services_any"]), func(s string) bool { return services[s] }) {
		add("none of %s planned (plan: %s)", strings.Join(strs(exp["services_any"]), "/"), opList)
	}
	for _, o := range strs(exp["ops"]) {
		if !ops[strings.ToLower(o)] {
			add("op %s not planned (plan: %s)", o, opList)
		}
	}
	for _, o := range strs(exp["not_ops"]) {
		if ops[strings.ToLower(o)] {
			add("op %s planned, should not be", o)
		}
	}
	proposed, summaries, targets := t.proposed()
	for _, p := range strs(exp["proposes"]) {
		if !slices.Contains(proposed, strings.ToLower(p)) {
			add("no %s proposed (proposed: %s)", p, cmp.Or(strings.Join(proposed, ", "), "none"))
		}
	}
	for _, p := range strs(exp["not_proposes"]) {
		if slices.Contains(proposed, strings.ToLower(p)) {
			add("%s proposed, should not be", p)
		}
	}
	for _, w := range strs(exp["proposes_summary_contains_all"]) {
		if !slices.ContainsFunc(summaries, func(s string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(w)) }) {
			add("no proposed action's summary names %q", w)
		}
	}
	if truthy(exp["same_target_as_prev"]) {
		before := map[string]bool{}
		if prev != nil {
			for _, a := range prev.msg.Actions {
				for _, x := range a.Targets {
					before[x] = true
				}
			}
		}
		shared := false
		for x := range targets {
			shared = shared || before[x]
		}
		switch {
		case len(before) == 0:
			add("same_target_as_prev: the previous turn proposed nothing")
		case !shared:
			add("the proposed action does not act on the item of the previous turn's action")
		}
	}
	if truthy(exp["proposes_summary_contains_any"]) {
		words := strs(exp["proposes_summary_contains_any"])
		sums := strings.ToLower(strings.Join(summaries, " || "))
		if !containsAny(sums, words) {
			add("no proposed action's summary names any of %s (%s)", jsonText(words), cmp.Or(short(sums, 100), "no action"))
		}
	}
	if truthy(exp["proposes_target"]) {
		for _, mv := range asList(exp["proposes_target"]) {
			m := toMap(mv)
			found, err := e.candidates(ctx, m)
			if err != nil {
				return err
			}
			hit := slices.ContainsFunc(found, func(i item) bool { return targets[i.ID] })
			switch {
			case len(found) == 0:
				add("proposes_target %s: no such item in the workspace", short(jsonText(m), 80))
			case !hit:
				add("no proposed action targets %s", short(jsonText(m), 100))
			}
		}
	}
	if truthy(exp["no_actions"]) && len(msg.Actions) > 0 {
		var kinds []string
		for _, a := range msg.Actions {
			kinds = append(kinds, opOf(a.Kind))
		}
		add("actions proposed: %s", strings.Join(kinds, ", "))
	}
	if truthy(exp["clarify"]) {
		r := strings.TrimSpace(t.response)
		asks := strings.HasSuffix(r, "?") || (strings.Contains(r, "?") && !t.stepsRan())
		if !asks {
			add("no clarifying question: %s", short(r, 100))
		}
		if len(msg.Actions) > 0 {
			add("clarify expected, yet actions proposed")
		}
		for _, s := range msg.StepResults {
			if slices.Contains([]string{"draft", "send", "create", "update", "delete", "share"}, s.Operation) && s.Status == "SUCCEEDED" {
				add("clarify expected, yet a %s step ran", s.Operation)
				break
			}
		}
	}
	if truthy(exp["decline"]) {
		if !refusalRe.MatchString(t.response) {
			add("no clear refusal: %s", short(t.response, 100))
		}
		if t.stepsRan() {
			add("decline expected, yet steps ran: %s", strings.Join(sortedKeys(ops), ", "))
		}
		if len(msg.Actions) > 0 {
			add("decline expected, yet actions proposed")
		}
	}
	for _, key := range []string{"cites_any", "cites_all", "cites_only"} {
		if truthy(exp[key]) {
			if err := e.checkMatchers(ctx, t, key, exp[key], reasons); err != nil {
				return err
			}
		}
	}
	if truthy(exp["cites_none"]) && len(msg.Citations) > 0 {
		add("cites %d item(s), none expected", len(msg.Citations))
	}
	low := strings.ToLower(t.response)
	if truthy(exp["answer_contains_any"]) {
		words := strs(exp["answer_contains_any"])
		if !containsAny(low, words) {
			add("answer names none of %s: %s", short(jsonText(words), 80), short(t.response, 100))
		}
	}
	for _, w := range strs(exp["answer_contains_all"]) {
		if !strings.Contains(low, strings.ToLower(w)) {
			add("answer lacks %q", w)
		}
	}
	for _, w := range strs(exp["answer_not_contains"]) {
		if strings.Contains(low, strings.ToLower(w)) {
			add("answer contains %q", w)
		}
	}
	if truthy(exp["cites_only_services"]) {
		allowed := map[string]bool{}
		for _, s := range strs(exp["cites_only_services"]) {
			allowed[strings.ToUpper(s)] = true
		}
		var other []citation
		svc := map[string]bool{}
		for _, c := range msg.Citations {
			if !allowed[c.Service] {
				other = append(other, c)
				svc[strings.ToLower(c.Service)] = true
			}
		}
		if len(other) > 0 {
			al := make(map[string]bool, len(allowed))
			for a := range allowed {
				al[strings.ToLower(a)] = true
			}
			add("cites %d item(s) from %s, expected only %s (e.g. %q)", len(other), strings.Join(sortedKeys(svc), "/"),
				strings.Join(sortedKeys(al), "/"), short(other[0].Title, 50))
		}
	}
	for _, mv := range asList(exp["answer_mentions_date_of"]) {
		m := toMap(mv)
		found, err := e.candidates(ctx, m)
		if err != nil {
			return err
		}
		if len(found) != 1 {
			add("answer_mentions_date_of: %d items match %s (the case needs exactly one)", len(found), short(jsonText(m), 80))
		} else if e.mentionsDate(t.response, found[0].At, found[0].TZ) < 0 {
			add("answer does not give the date of %q (%s)", short(found[0].Title, 50), found[0].At.In(e.tz).Format("Mon Jan 02 2006"))
		}
	}
	if truthy(exp["draft_contains_all"]) || truthy(exp["draft_contains_any"]) {
		var texts []string
		for _, id := range t.itemOrder {
			if it := t.stepItems[id]; it.Kind == "draft" {
				texts = append(texts, it.Title+" "+it.Snippet)
			}
		}
		for _, a := range msg.Actions {
			if a.Status == "PROPOSED" && a.Kind == "SEND_EMAIL" {
				texts = append(texts, a.Summary)
			}
		}
		blob := strings.ToLower(strings.Join(texts, " || "))
		if len(texts) == 0 {
			add("no draft written")
		} else {
			for _, w := range strs(exp["draft_contains_all"]) {
				if !strings.Contains(blob, strings.ToLower(w)) {
					add("the draft does not say %q (%s)", w, short(blob, 100))
				}
			}
			if anyw := strs(exp["draft_contains_any"]); len(anyw) > 0 && !containsAny(blob, anyw) {
				add("the draft says none of %s (%s)", jsonText(anyw), short(blob, 100))
			}
		}
	}
	for _, o := range asList(exp["oracle"]) {
		if err := e.checkOracle(ctx, t, toMap(o), reasons); err != nil {
			return err
		}
	}
	if truthy(exp["refers_prev"]) {
		checkRefersPrev(t, prev, toMap(exp["refers_prev"]), reasons)
	}
	return nil
}

func checkRefersPrev(t, prev *turn, ref map[string]any, reasons *[]string) {
	add := func(format string, args ...any) { *reasons = append(*reasons, fmt.Sprintf(format, args...)) }
	if prev == nil {
		add("refers_prev on a first turn")
		return
	}
	cits := prev.msg.Citations
	n := ref["nth"]
	if n == nil {
		n = 1.0
	}
	var idx int
	if s, ok := n.(string); ok && s == "last" {
		idx = len(cits) - 1
	} else {
		k, _ := strconv.Atoi(fmt.Sprint(n))
		idx = k - 1
	}
	if idx < 0 || idx >= len(cits) {
		add("refers_prev: the previous answer cited %d item(s), no #%v", len(cits), n)
		return
	}
	want := cits[idx]
	ids := map[string]bool{}
	for _, a := range t.msg.Actions {
		for _, x := range a.Targets {
			ids[x] = true
		}
	}
	for _, c := range t.msg.Citations {
		ids[c.ItemID] = true
	}
	for _, id := range t.itemOrder {
		ids[id] = true
	}
	for _, s := range t.msg.Plan {
		if p := toMap(s.Params); p != nil {
			if id, ok := p["itemId"].(string); ok {
				ids[id] = true
			}
		}
	}
	if ids[want.ItemID] {
		return
	}
	title := strings.TrimSpace(want.Title)
	same := 0
	for _, c := range cits {
		if strings.EqualFold(strings.TrimSpace(c.Title), title) {
			same++
		}
	}
	var parts []string
	for _, a := range t.msg.Actions {
		parts = append(parts, a.Summary)
	}
	for _, id := range t.itemOrder {
		parts = append(parts, t.stepItems[id].Title)
	}
	parts = append(parts, t.response)
	texts := strings.ToLower(strings.Join(parts, " || "))
	if len([]rune(title)) > 3 && same == 1 && strings.Contains(texts, strings.ToLower(title)) {
		return
	}
	add("does not act on item #%v of the previous answer (%q)", n, short(title, 60))
}

func (e *env) checkMatchers(ctx context.Context, t *turn, key string, v any, reasons *[]string) error {
	add := func(format string, args ...any) { *reasons = append(*reasons, fmt.Sprintf(format, args...)) }
	var matchers []map[string]any
	for _, m := range asList(v) {
		matchers = append(matchers, toMap(m))
	}
	hit := func(m map[string]any) (bool, error) {
		for _, c := range t.cited(str(m["type"])) {
			it := item{Type: typeOfService[c.Service], ID: c.ItemID, Title: c.Title}
			if needsDetail(m) {
				it = t.resolve(ctx, c)
			}
			ok, err := e.matches(ctx, it, m)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	}
	switch key {
	case "cites_any":
		anyHit := false
		for _, m := range matchers {
			ok, err := hit(m)
			if err != nil {
				return err
			}
			if ok {
				anyHit = true
				break
			}
		}
		if !anyHit {
			add("cites_any: no citation matches any of %s", short(jsonText(matchers), 120))
		}
	case "cites_all":
		for _, m := range matchers {
			ok, err := hit(m)
			if err != nil {
				return err
			}
			if !ok {
				add("cites_all: no citation matches %s", short(jsonText(m), 120))
			}
		}
	case "cites_only":
		types := map[string]bool{}
		for _, m := range matchers {
			types[str(m["type"])] = true
		}
		var cits []citation
		for _, c := range t.msg.Citations {
			if types[""] || types[typeOfService[c.Service]] {
				cits = append(cits, c)
			}
		}
		if len(cits) == 0 {
			add("cites_only: nothing cited")
		}
		for _, c := range cits {
			it := t.resolve(ctx, c)
			matched := false
			for _, m := range matchers {
				ok, err := e.matches(ctx, it, m)
				if err != nil {
					return err
				}
				if ok {
					matched = true
					break
				}
			}
			if !matched {
				add("cites_only: %q cited, matches none of %s", short(it.Title, 50), short(jsonText(matchers), 100))
				break
			}
		}
	}
	return nil
}

// candidates is every item a matcher could match, from the plain listings
// (never from search).
func (e *env) candidates(ctx context.Context, m map[string]any) ([]item, error) {
	typ := str(m["type"])
	var start, end time.Time
	if truthy(m["window"]) {
		var err error
		if start, end, err = e.window(ctx, str(m["window"])); err != nil {
			return nil, err
		}
	}
	var senders []string
	if typ == "email" {
		senders = strs(m["from"])
	}
	list, err := e.listing(ctx, typ, start, end, senders, nil)
	if err != nil {
		return nil, err
	}
	var out []item
	for _, i := range list {
		ok, err := e.matches(ctx, i, m)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, i)
		}
	}
	return out, nil
}

func (e *env) oracleItems(ctx context.Context, o map[string]any) ([]item, error) {
	typ := cmp.Or(str(o["type"]), "event")
	start, end, err := e.window(ctx, cmp.Or(str(o["window"]), "all"))
	if err != nil {
		return nil, err
	}
	var senders []string
	extra := map[string]any{}
	if typ == "email" {
		senders = lowers(o["from"])
		for k, fk := range map[string]string{"unread": "unread", "has_attachment": "hasAttachment", "labels": "labels"} {
			if v, ok := o[k]; ok {
				extra[fk] = v
			}
		}
	}
	list, err := e.listing(ctx, typ, start, end, senders, extra)
	if err != nil {
		return nil, err
	}
	m := map[string]any{"type": typ}
	for _, k := range []string{"title_contains", "title_equals", "from", "to", "text_contains", "folder", "owner", "attendee"} {
		if v, ok := o[k]; ok {
			m[k] = v
		}
	}
	var items []item
	for _, i := range list {
		ok, err := e.matches(ctx, i, m)
		if err != nil {
			return nil, err
		}
		if !ok || (typ == "event" && !truthy(o["include_cancelled"]) && i.Status == "cancelled") ||
			(str(o["window"]) == "upcoming" && i.At.Before(e.now)) { // a meeting under way is not the next one
			continue
		}
		items = append(items, i)
	}
	sortByAt(items)
	return items, nil
}

func (e *env) checkOracle(ctx context.Context, t *turn, o map[string]any, reasons *[]string) error {
	add := func(format string, args ...any) { *reasons = append(*reasons, fmt.Sprintf(format, args...)) }
	typ := cmp.Or(str(o["type"]), "event")
	expects := strs(o["expect"])
	if _, ok := o["expect"]; !ok {
		expects = []string{"cites_only_matching"}
	}
	if slices.Contains(expects, "free_busy") {
		if err := e.checkFreeBusy(ctx, t, o, reasons); err != nil {
			return err
		}
		expects = slices.DeleteFunc(expects, func(s string) bool { return s == "free_busy" })
	}
	if len(expects) == 0 {
		return nil
	}
	items, err := e.oracleItems(ctx, o)
	if err != nil {
		return err
	}
	ids := map[string]bool{}
	for _, i := range items {
		ids[i.ID] = true
	}
	label := fmt.Sprintf("oracle(%s %s", typ, cmp.Or(str(o["window"]), "all"))
	if truthy(o["title_contains"]) {
		label += " " + jsonText(o["title_contains"])
	}
	label += ")"
	citedIDs := t.citedIDs(typ)
	if len(items) == 0 { // nothing matches: the right answer says so and cites nothing of that type
		if len(citedIDs) > 0 {
			add("%s: nothing matches, yet %d %s(s) cited", label, len(citedIDs), typ)
		}
		if !nothingRe.MatchString(t.response) {
			add("%s: nothing matches, and the answer does not say so", label)
		}
		return nil
	}
	first, latest := items[0], items[len(items)-1]
	pick := func(firstish bool) item {
		if firstish {
			return first
		}
		return latest
	}
	_, _, targets := t.proposed()
	for _, x := range expects {
		switch x {
		case "cites_all_matching":
			var missing []item
			for _, i := range items {
				if !slices.Contains(citedIDs, i.ID) {
					missing = append(missing, i)
				}
			}
			if len(missing) > 0 {
				add("%s: %d of %d matching not cited (e.g. %q %s)", label, len(missing), len(items), missing[0].Title,
					missing[0].At.In(e.tz).Format("Mon Jan 02 15:04"))
			}
		case "cites_only_matching":
			if len(citedIDs) == 0 {
				add("%s: no %s cited (%d match)", label, typ, len(items))
			}
			for _, c := range t.cited(typ) {
				if !ids[c.ItemID] {
					n := 0
					for _, c2 := range t.cited(typ) {
						if !ids[c2.ItemID] {
							n++
						}
					}
					add("%s: %d cited %s(s) outside it (e.g. %q)", label, n, typ, short(c.Title, 60))
					break
				}
			}
		case "cites_any_matching":
			if !slices.ContainsFunc(citedIDs, func(id string) bool { return ids[id] }) {
				add("%s: none of the %d matching items cited", label, len(items))
			}
		case "cites_first_matching", "cites_latest_matching":
			it := pick(x == "cites_first_matching")
			if !slices.Contains(citedIDs, it.ID) {
				add("%s: %q of %s not cited", label, it.Title, e.day(it.At))
			}
		case "answer_mentions_first", "answer_mentions_latest":
			it := pick(x == "answer_mentions_first")
			pos := e.mentionsDate(t.response, it.At, it.TZ)
			if pos < 0 {
				add("%s: answer does not name the date of %q (%s)", label, it.Title, e.day(it.At))
				break
			}
			for _, i := range items {
				if sameDay(i.At.In(e.tz), it.At.In(e.tz)) {
					continue
				}
				if p := e.mentionsDate(t.response, i.At, i.TZ); p >= 0 && p < pos {
					add("%s: answer names another matching date before %s", label, it.At.In(e.tz).Format("Jan 02"))
					break
				}
			}
		case "answer_mentions_first_time", "answer_mentions_latest_time":
			it := pick(x == "answer_mentions_first_time")
			if !e.mentionsTime(t.response, it.At, it.TZ) {
				add("%s: answer does not give the time of %q (%s)", label, it.Title, it.At.In(e.tz).Format("15:04 MST"))
			}
		case "answer_mentions_first_title", "answer_mentions_latest_title":
			it := pick(x == "answer_mentions_first_title")
			if !strings.Contains(strings.ToLower(t.response), strings.ToLower(it.Title)) {
				add("%s: answer does not name %q", label, it.Title)
			}
		case "answer_mentions_count":
			if !mentionsNumber(t.response, len(items)) {
				add("%s: answer does not give the count %d", label, len(items))
			}
		case "targets_first_matching", "targets_latest_matching", "targets_any_matching":
			want := ids
			switch x {
			case "targets_first_matching":
				want = map[string]bool{first.ID: true}
			case "targets_latest_matching":
				want = map[string]bool{latest.ID: true}
			}
			hit := false
			for id := range targets {
				hit = hit || want[id]
			}
			if !hit {
				it := pick(x != "targets_latest_matching")
				add("%s: no proposed action targets %q of %s", label, it.Title, e.day(it.At))
			}
		default:
			add("unknown oracle expectation %q", x)
		}
	}
	return nil
}

func (e *env) checkFreeBusy(ctx context.Context, t *turn, o map[string]any, reasons *[]string) error {
	add := func(format string, args ...any) { *reasons = append(*reasons, fmt.Sprintf(format, args...)) }
	start, _, err := e.window(ctx, str(o["window"]))
	if err != nil {
		return err
	}
	hh, mm, _ := strings.Cut(str(o["time"]), ":")
	h, _ := strconv.Atoi(hh)
	mi, _ := strconv.Atoi(mm)
	s := time.Date(start.Year(), start.Month(), start.Day(), h, mi, 0, 0, e.tz)
	minutes := 60
	if v, ok := o["minutes"]; ok {
		minutes, _ = strconv.Atoi(fmt.Sprint(v))
	}
	end := s.Add(time.Duration(minutes) * time.Minute)
	list, err := e.listing(ctx, "event", s, end, nil, nil)
	if err != nil {
		return err
	}
	var events []item
	for _, i := range list {
		if i.Status != "cancelled" {
			events = append(events, i)
		}
	}
	when := s.Format("Mon Jan 02 15:04")
	if len(events) > 0 {
		low := strings.ToLower(t.response)
		cited := t.citedIDs("event")
		named := slices.ContainsFunc(events, func(i item) bool {
			return strings.Contains(low, strings.ToLower(i.Title)) || slices.Contains(cited, i.ID)
		})
		if !named {
			add("free_busy %s: busy with %q, not named or cited", when, events[0].Title)
		}
		if saysFreeRe.MatchString(t.response) {
			add("free_busy %s: busy, but the answer says free", when)
		}
	} else {
		if !freeRe.MatchString(t.response) {
			add("free_busy %s: free, and the answer does not say so", when)
		}
		if saysBusyRe.MatchString(t.response) {
			add("free_busy %s: free, but the answer says busy", when)
		}
	}
	return nil
}
