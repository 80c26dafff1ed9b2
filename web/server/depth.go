package server

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// errDepthLimit is the extensions.code of an operation nested too deeply.
const errDepthLimit = "DEPTH_LIMIT_EXCEEDED"

// depthLimit refuses operations whose selections nest deeper than max, before
// any resolver runs. Complexity alone does not bound depth: a narrow query
// can be cheap in fields and still walk message -> conversation -> messages
// -> ... many levels down.
type depthLimit struct{ max int }

var (
	_ graphql.HandlerExtension        = depthLimit{}
	_ graphql.OperationContextMutator = depthLimit{}
)

func (depthLimit) ExtensionName() string                          { return "DepthLimit" }
func (depthLimit) Validate(schema graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if got := selectionDepth(oc.Operation.SelectionSet); got > d.max {
		err := gqlerror.Errorf("operation nests %d levels deep, more than the limit of %d", got, d.max)
		errcode.Set(err, errDepthLimit)
		return err
	}
	return nil
}

// selectionDepth counts nested fields; fragments add no level of their own.
// Introspection fields (__schema, __type, __typename) are skipped: their depth
// is bounded by the schema, and GraphiQL's introspection query is deep.
// Validation has already refused fragment cycles, so the recursion ends.
func selectionDepth(set ast.SelectionSet) int {
	deepest := 0
	for _, sel := range set {
		d := 0
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			d = 1 + selectionDepth(s.SelectionSet)
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				d = selectionDepth(s.Definition.SelectionSet)
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}
