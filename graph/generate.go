// Package graph holds the GraphQL schema (one *.graphqls file per feature) and
// the executable schema gqlgen generates from it.
package graph

//go:generate go tool gqlgen generate
