package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator"
	"github.com/workspace-orchestrator/orchestrator/demo"
	"github.com/workspace-orchestrator/orchestrator/domain"
)

func emulatorCmd(c *cli) *cobra.Command {
	var o emulatorOptions
	var noShift bool
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Run the loopback Google Workspace emulator (Gmail, Calendar, Drive, OAuth) on its own",
		Long: `Run the Workspace emulator standalone until interrupted.

The emulator is an in-memory Google Workspace for many users at once: it speaks
the real Gmail v1, Calendar v3, Drive v3 and OAuth 2.0 REST wire formats, so the
orchestrator's Google clients talk to it as they would to Google. Point them at
it with GOOGLE_URL=<its URL>. The OAuth consent screen approves the account named
by login_hint at once, and /emulator/... serves admin JSON endpoints (add a
workspace, mint tokens, inject faults) without authentication, which is why it
listens on loopback addresses only. Its content is lost when it stops.

With --demo it starts with the demo workspace (the Enron mailbox as Gmail,
Kubernetes meetings as Calendar, KEPs as Drive) for --demo-user, re-anchored at
start to the current time unless --no-shift: meetings move by whole weeks (so a
Tuesday meeting stays a Tuesday meeting at its time), mail by whole years (so a
month stays that month), documents by whole days, each source's newest item just
before now, and the recurring series are generated for the weeks after now.
` + "`orchestrator all` runs the same emulator in-process when GOOGLE_URL is empty.",
		Example: "  orchestrator emulator --demo\n  GOOGLE_URL=http://127.0.0.1:8085 orchestrator all",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := c.config()
			if err != nil {
				return err
			}
			if !cmd.Flags().Changed("addr") {
				o.Addr = cfg.EmulatorAddr
			}
			if !cmd.Flags().Changed("demo-user") {
				o.DemoUser = cfg.DemoUser
			}
			o.Shift = !noShift
			log := c.logger(cfg)
			emu, err := startEmulator(cmd.Context(), o, domain.SystemClock{}, log)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.stdout, "Workspace emulator at %s (GOOGLE_URL=%s); Ctrl-C stops it\n", emu.URL, emu.URL)
			<-cmd.Context().Done()
			ctx, cancel := context.WithTimeout(context.WithoutCancel(cmd.Context()), 5*time.Second)
			defer cancel()
			return emu.Close(ctx)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Addr, "addr", "", "loopback address to listen on (default EMULATOR_ADDR, else 127.0.0.1:8085)")
	f.BoolVar(&o.Demo, "demo", false, "seed the demo workspace for --demo-user")
	f.StringVar(&o.DemoUser, "demo-user", "", "the demo workspace's account (default DEMO_USER, else demo@example.com)")
	f.BoolVar(&noShift, "no-shift", false, "keep the demo's original dates instead of re-anchoring them to the current time")
	return cmd
}

// emulatorOptions say how to run the emulator.
type emulatorOptions struct {
	Addr     string // a loopback host:port; port 0 picks a free one
	Demo     bool   // seed the demo workspace for DemoUser
	DemoUser string
	Shift    bool // re-anchor the demo's dates to the clock's now (demo.Options.Shift)
	// GmailPushURL receives Gmail Pub/Sub pushes for users.watch (emulator.Config.GmailPushURL); "" for none.
	GmailPushURL string
}

// runningEmulator is an emulator serving HTTP.
type runningEmulator struct {
	URL    string
	Server *emulator.Server
	http   *http.Server
}

// startEmulator seeds an emulator as o says and serves it on o.Addr until Close.
func startEmulator(ctx context.Context, o emulatorOptions, clock domain.Clock, log *slog.Logger) (*runningEmulator, error) {
	if err := checkLoopback(o.Addr); err != nil {
		return nil, err
	}
	srv := emulator.New(emulator.Config{Clock: clock, Logger: log, GmailPushURL: o.GmailPushURL})
	if o.Demo {
		if o.DemoUser == "" {
			srv.Close()
			return nil, fmt.Errorf("--demo-user: empty: %w", domain.ErrInvalidInput)
		}
		start := time.Now()
		// Anchored to now, not to demo.Now(), so "next week" finds meetings
		// whenever the demo runs.
		ws, off, err := demo.Load(demo.Options{Shift: o.Shift, Now: clock.Now()})
		if err == nil {
			err = srv.AddWorkspace(o.DemoUser, ws)
		}
		if err != nil {
			srv.Close()
			return nil, fmt.Errorf("demo workspace: %w", err)
		}
		log.InfoContext(ctx, "demo workspace loaded", "user", o.DemoUser, "messages", len(ws.Messages),
			"events", len(ws.Events), "files", len(ws.Files), "shifted", o.Shift,
			"mail_years", off.MailYears, "calendar_days", off.CalendarDays, "drive_days", off.DriveDays, "took", time.Since(start).Round(time.Millisecond))
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("emulator: listen on %s: %w", o.Addr, err)
	}
	e := &runningEmulator{
		URL:    "http://" + ln.Addr().String(),
		Server: srv,
		http:   &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second},
	}
	go func() {
		if err := e.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("emulator stopped serving", "err", err)
		}
	}()
	log.InfoContext(ctx, "Workspace emulator serving", "url", e.URL)
	return e, nil
}

// Close stops serving, letting requests in flight finish until ctx ends.
func (e *runningEmulator) Close(ctx context.Context) error {
	defer e.Server.Close()
	if err := e.http.Shutdown(ctx); err != nil {
		return fmt.Errorf("emulator: shutdown: %w", err)
	}
	return nil
}

// checkLoopback refuses addresses reachable from other machines: the admin
// endpoints and the auto-approving consent screen have no authentication.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("emulator address %q: %w: %w", addr, err, domain.ErrInvalidInput)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("emulator address %q: listen on a loopback address (127.0.0.1, ::1 or localhost); "+
		"the emulator has no authentication: %w", addr, domain.ErrInvalidInput)
}
