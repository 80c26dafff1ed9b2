// Command orchestrator is the one binary of Workspace Orchestrator: the GraphQL
// server, the River workers, migrations and the admin tools. main only wires
// the process to run, which tests call directly.
package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/workspace-orchestrator/orchestrator/cmd/orchestrator/config"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], environ(os.Environ()), os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "orchestrator:", err)
		os.Exit(1)
	}
}

func environ(kvs []string) map[string]string {
	m := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// run executes one command line with the given environment and output streams.
func run(ctx context.Context, args []string, env map[string]string, stdout, stderr io.Writer) error {
	root := &cobra.Command{
		Use:           "orchestrator",
		Short:         "Workspace Orchestrator: natural-language requests over Gmail, Calendar and Drive",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	e := &cli{vars: env, stdout: stdout, stderr: stderr}
	root.AddCommand(withEnvironment(
		serveCmd(e, "serve", "Serve GraphQL, the playground and webhooks", roleServe),
		serveCmd(e, "worker", "Run the River workers (sync jobs)", roleWorker),
		serveCmd(e, "all", "Serve and run the workers in one process (the default for local use)", roleServe|roleWorker),
		migrateCmd(e),
		emulatorCmd(e),
		importCmd(e),
		classifyCmd(e),
		askCmd(e),
		evalAskCmd(e),
		tokenCmd(e),
		syncCmd(e),
	)...)
	root.AddCommand(trainNLUCmd(e), evalCmd(e)) // these read no environment
	return root.ExecuteContext(ctx)
}

// cli is what every command gets: the environment and the output streams.
type cli struct {
	vars           map[string]string
	stdout, stderr io.Writer
	// clock is the app's time; nil is the system clock (tests pin it).
	clock domain.Clock
}

// withEnvironment adds to each command's --help the environment variables
// it reads (the whole configuration, see .env.example) with their defaults.
func withEnvironment(cmds ...*cobra.Command) []*cobra.Command {
	var b strings.Builder
	b.WriteString("\n\nEnvironment (see .env.example and README's configuration table):\n")
	for _, v := range config.Variables() {
		fmt.Fprintf(&b, "  %-22s %s\n", v.Name, cmp.Or(v.Default, "(empty)"))
	}
	for _, c := range cmds {
		c.Long = cmp.Or(c.Long, c.Short) + strings.TrimRight(b.String(), "\n")
	}
	return cmds
}

// emailFlag trims an email address given in flag and says so when it is not one.
func emailFlag(flag, v string) (string, error) {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "@") {
		return "", fmt.Errorf("%s: %q is not an email address", flag, v)
	}
	return v, nil
}
