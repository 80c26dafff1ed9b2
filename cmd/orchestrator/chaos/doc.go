// Package chaos holds the fault runs that prove nothing is lost, doubled or
// left stuck: real orchestrator processes over a PostgreSQL cluster and a
// Redis server of their own (on loopback ports 18300-18399), the Workspace
// emulator's fault injection, SIGKILL and SIGTERM. `go test ./chaos/` runs
// the short set (CI); `make chaos` every scenario. Each prints a table row:
// scenario, expected and found counts, recovery time.
package chaos
