package server

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/workspace-orchestrator/orchestrator/web/auth"
)

// extensions.code values of operations refused for their shape, before
// validation.
const (
	codeQueryTooLarge          = "QUERY_TOO_LARGE"
	codeIntrospectionDisabled  = "INTROSPECTION_DISABLED"
	codeComplexityLimit        = "COMPLEXITY_LIMIT_EXCEEDED"
	introspectionSchemaField   = "__schema"
	introspectionTypeField     = "__type"
	anonymousDivisor           = 4 // anonymous callers get a quarter of each shape limit
	minAnonymousFieldsAllowed  = 200
	minAnonymousTokensAllowed  = 2000
	minAnonymousBytesAllowed   = 8 << 10
	introspectionFieldsPerCall = 2 // __schema and __type fields an operation may hold
)

// shapeLimits refuses, before gqlgen validates it, a document whose shape
// would make validation itself expensive. Validation is not linear: the rule
// that checks that fields of the same name can be merged compares them in
// pairs, so 8,000 repeated fields cost seconds of CPU, and it runs before any
// complexity limit, for anonymous callers too. The document is parsed here
// with the same token limit gqlgen uses (parsing is linear) and measured:
// bytes, fields once fragments are spread (memoized, so a fragment spread
// twice in each of twenty nested fragments is counted, not walked 2^20
// times), fields in one selection set, aliases and introspection fields.
// Anonymous callers get a quarter of each limit (enough for GraphiQL's
// introspection query). A document already in the query cache passed these
// checks and is not measured again.
type shapeLimits struct {
	cfg   Config
	cache graphql.Cache[*ast.QueryDocument]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = shapeLimits{}

func (shapeLimits) ExtensionName() string                          { return "ShapeLimits" }
func (shapeLimits) Validate(schema graphql.ExecutableSchema) error { return nil }

// limitsFor are the limits of the caller: anonymous callers get smaller ones.
func (s shapeLimits) limitsFor(ctx context.Context) (bytes, tokens, fields int) {
	bytes, tokens, fields = s.cfg.MaxQueryBytes, s.cfg.MaxQueryTokens, s.cfg.MaxFields
	if _, ok := auth.UserID(ctx); !ok {
		bytes = min(bytes, max(bytes/anonymousDivisor, minAnonymousBytesAllowed))
		tokens = min(tokens, max(tokens/anonymousDivisor, minAnonymousTokensAllowed))
		fields = min(fields, max(fields/anonymousDivisor, minAnonymousFieldsAllowed))
	}
	return bytes, tokens, fields
}

func (s shapeLimits) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	maxBytes, maxTokens, maxFields := s.limitsFor(ctx)
	if len(p.Query) > maxBytes {
		return shapeError(codeQueryTooLarge, "the query has %d bytes, more than the limit of %d", len(p.Query), maxBytes)
	}
	if _, ok := s.cache.Get(ctx, p.Query); ok {
		return nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: p.Query}, maxTokens)
	if err != nil {
		if strings.Contains(err.Error(), "exceeded token limit") {
			return shapeError(codeQueryTooLarge, "the query has more than %d tokens", maxTokens)
		}
		return nil // gqlgen parses it again and reports the syntax error
	}
	m := measure(doc)
	switch {
	case m.fields > maxFields:
		return shapeError(codeQueryTooLarge, "the query selects more than %d fields (fragments counted each time they are spread)", maxFields)
	case m.widest > s.cfg.MaxSelections:
		return shapeError(codeQueryTooLarge, "a selection set holds %d fields, more than the limit of %d", m.widest, s.cfg.MaxSelections)
	case m.aliases > s.cfg.MaxAliases:
		return shapeError(codeQueryTooLarge, "the query has %d aliases, more than the limit of %d", m.aliases, s.cfg.MaxAliases)
	case m.introspection > 0 && s.cfg.DisableIntrospection:
		return shapeError(codeIntrospectionDisabled, "introspection is disabled on this server")
	case m.introspection > introspectionFieldsPerCall:
		return shapeError(codeQueryTooLarge, "the query has %d __schema or __type fields, more than the limit of %d", m.introspection, introspectionFieldsPerCall)
	}
	return nil
}

func shapeError(code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	errcode.Set(err, code)
	return err
}

// shape is what measure found in a document.
type shape struct {
	fields        int // fields once fragments are spread, saturating
	widest        int // most fields in one selection set, fragments flattened (validation merges them)
	aliases       int
	introspection int // __schema and __type fields
}

// saturate caps counts that grow by spreading fragments, so that a fragment
// bomb cannot overflow them.
const saturate = 1 << 30

// measure walks every operation and fragment once; a fragment's expanded
// field count is computed once and reused at each spread.
func measure(doc *ast.QueryDocument) shape {
	var m shape
	frags := map[string]*ast.FragmentDefinition{}
	for _, f := range doc.Fragments {
		frags[f.Name] = f
	}
	// fields counts the fields of set, with each fragment's expansion
	// computed once and reused at every spread; deep also counts the fields
	// of subselections (the document's size), shallow only those at set's
	// own level (a selection's width).
	fields := func(deep bool) func(ast.SelectionSet) int {
		memo := map[string]int{}
		visiting := map[string]bool{}
		var sum func(set ast.SelectionSet) int
		sum = func(set ast.SelectionSet) int {
			n := 0
			for _, sel := range set {
				switch s := sel.(type) {
				case *ast.Field:
					n++
					if deep {
						n += sum(s.SelectionSet)
					}
				case *ast.InlineFragment:
					n += sum(s.SelectionSet)
				case *ast.FragmentSpread:
					f := frags[s.Name]
					if f == nil || visiting[s.Name] { // validation reports both
						continue
					}
					c, ok := memo[s.Name]
					if !ok {
						visiting[s.Name] = true
						c = sum(f.SelectionSet)
						delete(visiting, s.Name)
						memo[s.Name] = c
					}
					n += c
				}
				n = min(n, saturate)
			}
			return n
		}
		return sum
	}
	count, width := fields(true), fields(false)
	var walk func(set ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		m.widest = max(m.widest, width(set))
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				if s.Alias != "" && s.Alias != s.Name {
					m.aliases++
				}
				if s.Name == introspectionSchemaField || s.Name == introspectionTypeField {
					m.introspection++
				}
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			}
		}
	}
	for _, op := range doc.Operations {
		m.fields = min(m.fields+count(op.SelectionSet), saturate)
		walk(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		walk(f.SelectionSet)
	}
	return m
}

// IntrospectionCost is what one __schema field adds to an operation's
// complexity (a __type field adds a tenth): gqlgen's own count skips
// introspection, so 250 aliased __schema fields (14 MB of answer) cost nothing.
const IntrospectionCost = 1000

// complexityLimit is gqlgen's FixedComplexityLimit with introspection counted.
// It records the operation's complexity where extension.GetComplexityStats
// finds it (the rate limiter charges by it).
type complexityLimit struct {
	limit int
	es    graphql.ExecutableSchema
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &complexityLimit{}

func (*complexityLimit) ExtensionName() string { return "ComplexityLimit" }

func (c *complexityLimit) Validate(es graphql.ExecutableSchema) error {
	c.es = es
	return nil
}

func (c *complexityLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	n := complexity.Calculate(ctx, c.es, oc.Operation, oc.Variables)
	n = min(n+introspectionComplexity(oc.Operation.SelectionSet), saturate)
	oc.Stats.SetExtension("ComplexityLimit", &extension.ComplexityStats{Complexity: n, ComplexityLimit: c.limit})
	if n > c.limit {
		return shapeError(codeComplexityLimit, "operation has complexity %d, which exceeds the limit of %d", n, c.limit)
	}
	return nil
}

// introspectionComplexity adds up what the operation's introspection fields
// cost. The shape limits have bounded the document, so walking fragments
// where they are spread stays cheap.
func introspectionComplexity(set ast.SelectionSet) int {
	n := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			switch s.Name {
			case introspectionSchemaField:
				n += IntrospectionCost
			case introspectionTypeField:
				n += IntrospectionCost / 10
			default:
				n += introspectionComplexity(s.SelectionSet)
			}
		case *ast.InlineFragment:
			n += introspectionComplexity(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				n += introspectionComplexity(s.Definition.SelectionSet)
			}
		}
	}
	return n
}

// textInput refuses an operation whose string arguments (inline or in
// variables) hold a NUL byte or invalid UTF-8 with BAD_USER_INPUT, before any
// resolver runs: PostgreSQL refuses such text, which surfaced as INTERNAL.
type textInput struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = textInput{}

func (textInput) ExtensionName() string                          { return "TextInput" }
func (textInput) Validate(schema graphql.ExecutableSchema) error { return nil }

func (textInput) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	bad := func(where string) *gqlerror.Error {
		return shapeError(codeBadUserInput, "%s holds a NUL byte or invalid UTF-8, which no text may contain", where)
	}
	for name, v := range oc.Variables {
		if !cleanValue(v) {
			return bad("variable $" + name)
		}
	}
	if where, ok := cleanArguments(oc.Operation.SelectionSet, oc.Doc.Fragments); !ok {
		return bad(where)
	}
	return nil
}

// cleanText reports whether s can be stored as text.
func cleanText(s string) bool {
	return !strings.ContainsRune(s, 0) && utf8.ValidString(s)
}

// cleanValue checks every string in a decoded variable.
func cleanValue(v any) bool {
	switch v := v.(type) {
	case string:
		return cleanText(v)
	case []any:
		for _, e := range v {
			if !cleanValue(e) {
				return false
			}
		}
	case map[string]any:
		for k, e := range v {
			if !cleanText(k) || !cleanValue(e) {
				return false
			}
		}
	}
	return true
}

// cleanArguments checks the literal strings of every argument in the
// operation and the fragments it may spread (each fragment once).
func cleanArguments(set ast.SelectionSet, frags ast.FragmentDefinitionList) (string, bool) {
	for _, f := range frags {
		if where, ok := cleanSelections(f.SelectionSet); !ok {
			return where, false
		}
	}
	return cleanSelections(set)
}

func cleanSelections(set ast.SelectionSet) (string, bool) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			for _, a := range s.Arguments {
				if !cleanLiteral(a.Value) {
					return "argument " + a.Name + " of " + s.Name, false
				}
			}
			if where, ok := cleanSelections(s.SelectionSet); !ok {
				return where, false
			}
		case *ast.InlineFragment:
			if where, ok := cleanSelections(s.SelectionSet); !ok {
				return where, false
			}
		}
	}
	return "", true
}

func cleanLiteral(v *ast.Value) bool {
	if v == nil {
		return true
	}
	if (v.Kind == ast.StringValue || v.Kind == ast.BlockValue) && !cleanText(v.Raw) {
		return false
	}
	for _, c := range v.Children {
		if !cleanLiteral(c.Value) {
			return false
		}
	}
	return true
}
