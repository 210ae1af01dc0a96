// Package browsertest starts the headless Chromium that the browser tests
// drive (the dashboard's views, its pure modules, GraphiQL) and opens tabs
// in it that fail the test on any uncaught exception or console error.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Offline are the options of a Chromium that can reach 127.0.0.1 only:
// every other host name fails to resolve and every other route goes to a
// proxy that is not there.
var Offline = []chromedp.ExecAllocatorOption{
	chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	chromedp.ProxyServer("http://127.0.0.1:9"),
}

// MustStart starts a headless Chromium with a fresh profile, with the
// options given added, and stops it when the test ends. The tests need it:
// without Chromium they fail, saying how to get it.
func MustStart(tb testing.TB, opts ...chromedp.ExecAllocatorOption) context.Context {
	tb.Helper()
	path := os.Getenv("CHROMIUM")
	if path == "" {
		path, _ = exec.LookPath("chromium")
	}
	if path == "" {
		tb.Fatal("chromium is not installed: the browser tests drive a real headless Chromium. " +
			"Install it (Debian: apt-get install -y chromium; .ci/run does this) or set CHROMIUM to its path")
	}
	all := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(1280, 900),
	}, opts...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), all...)
	ctx, cancel := chromedp.NewContext(actx)
	tb.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("start chromium (%s): %v", path, err)
	}
	return ctx
}

// NewTab opens a tab for a (sub)test. Uncaught exceptions and console
// errors on the page fail the test.
func NewTab(tb testing.TB, browser context.Context) context.Context {
	tb.Helper()
	var mu sync.Mutex
	var problems []string
	listen := func(ev any) {
		var p string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			p = "an uncaught exception: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				p += " " + ev.ExceptionDetails.Exception.Description
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type != runtime.ConsoleAPICalledTypeError {
				return
			}
			p = "console.error:"
			for _, a := range ev.Args {
				p += " " + string(a.Value) + a.Description
			}
		default:
			return
		}
		mu.Lock()
		problems = append(problems, p)
		mu.Unlock()
	}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithListener(listen))
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("open a tab: %v", err)
	}
	// A bound on the whole subtest so that a missing element fails it
	// rather than hanging; nothing is asserted about how long anything takes.
	ctx, cancelTimeout := context.WithTimeout(ctx, time.Minute)
	tb.Cleanup(func() {
		cancelTimeout()
		cancel()
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			tb.Errorf("the page reported %s", p)
		}
	})
	return ctx
}
