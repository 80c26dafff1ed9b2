// Command gen regenerates the demo workspace's data (demo/data) from the
// shared data folder:
//
//	go run ./demo/gen -shared ../shared/data -out demo/data
//
// It writes the Lay mailbox, deduplicated, as a Takeout-style gzipped mbox;
// the Kubernetes meeting files gzipped as they are; the KEPs as gzipped JSON
// lines of Drive files; and copies of the eval queries. The README and
// licence files in demo/data are kept by hand.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/workspace-orchestrator/orchestrator/adapter/emulator/importer"
	"github.com/workspace-orchestrator/orchestrator/demo"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fl := flag.NewFlagSet("gen", flag.ContinueOnError)
	shared := fl.String("shared", "../shared/data", "the shared data folder")
	evalDir := fl.String("eval", "", "the judged queries; defaults to <shared>/../eval/dev")
	out := fl.String("out", "demo/data", "where to write, the demo package's data folder")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *evalDir == "" {
		*evalDir = filepath.Join(*shared, "..", "eval", "dev")
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	target := func(rel string) string { return filepath.Join(*out, filepath.FromSlash(rel[len("data/"):])) }

	mail, errs, err := importer.LoadMaildir(filepath.Join(*shared, "enron-lay", "maildir"))
	if err != nil {
		return err
	}
	report(log, "maildir", errs)
	var mbox bytes.Buffer
	if err := importer.WriteMbox(&mbox, mail.Messages); err != nil {
		return err
	}
	if err := writeGzip(target(demo.MboxPath), &mbox); err != nil {
		return err
	}
	log.Info("mail", "messages", len(mail.Messages))

	for src, dst := range map[string]string{
		"events.jsonl":             demo.EventsPath,
		"recurring_meetings.jsonl": demo.RecurringPath,
	} {
		if err := gzipFile(filepath.Join(*shared, "k8s-meetings", src), target(dst)); err != nil {
			return err
		}
	}
	for _, dir := range []string{"k8s-meetings", "k8s-keps"} {
		if err := copyFile(filepath.Join(*shared, dir, "LICENSE"), filepath.Join(*out, dir, "LICENSE")); err != nil {
			return err
		}
	}

	docs, errs, err := importer.LoadDocs(filepath.Join(*shared, "k8s-keps", "keps"))
	if err != nil {
		return err
	}
	report(log, "keps", errs)
	var buf bytes.Buffer
	if err := demo.WriteDocs(&buf, docs.Files); err != nil {
		return err
	}
	if err := writeGzip(target(demo.DocsPath), &buf); err != nil {
		return err
	}
	log.Info("drive", "docs", len(docs.Files))

	names, err := filepath.Glob(filepath.Join(*evalDir, "*.json*"))
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := copyFile(name, filepath.Join(target(demo.EvalDir), filepath.Base(name))); err != nil {
			return err
		}
	}
	log.Info("eval", "files", len(names))
	return nil
}

func report(log *slog.Logger, what string, errs []importer.LoadError) {
	for _, e := range errs {
		log.Warn("skipped", "source", what, "path", e.Path, "reason", e.Reason)
	}
}

func gzipFile(src, dst string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	return writeGzip(dst, f)
}

// writeGzip compresses r into dst; gzip's header carries no time or name, so
// the same input always gives the same bytes and git sees no change.
func writeGzip(dst string, r io.Reader) error {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := io.Copy(zw, r); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return writeFile(dst, buf.Bytes())
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return writeFile(dst, b)
}

func writeFile(dst string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", dst, err)
	}
	return nil
}
