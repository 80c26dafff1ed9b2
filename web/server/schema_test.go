package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSchemaIsDescribed keeps the convention that every type, field,
// argument, input field and enum value of the schema carries a description.
func TestSchemaIsDescribed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	type described struct {
		Name        string
		Description *string
	}
	type field struct {
		described
		Args []described
	}
	var resp struct {
		Schema struct {
			Types []struct {
				described
				Fields      []field
				InputFields []described
				EnumValues  []described
			}
		} `json:"__schema"`
	}
	raw, err := b.c.RawPost(`{ __schema { types {
		name description
		fields { name description args { name description } }
		inputFields { name description }
		enumValues { name description }
	} } }`)
	require.NoError(t, err)
	data, err := json.Marshal(raw.Data)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &resp))
	require.NotEmpty(t, resp.Schema.Types)

	var missing []string
	check := func(what string, d described) {
		if d.Description == nil || strings.TrimSpace(*d.Description) == "" {
			missing = append(missing, what)
		}
	}
	builtin := map[string]bool{"String": true, "Int": true, "Float": true, "Boolean": true, "ID": true}
	for _, ty := range resp.Schema.Types {
		if strings.HasPrefix(ty.Name, "__") || builtin[ty.Name] {
			continue
		}
		check(ty.Name, ty.described)
		for _, f := range ty.Fields {
			check(ty.Name+"."+f.Name, f.described)
			for _, a := range f.Args {
				check(ty.Name+"."+f.Name+"("+a.Name+")", a)
			}
		}
		for _, f := range ty.InputFields {
			check(ty.Name+"."+f.Name, f)
		}
		for _, v := range ty.EnumValues {
			check(ty.Name+"."+v.Name, v)
		}
	}
	require.Empty(t, missing, "describe these in graph/*.graphqls")
}
