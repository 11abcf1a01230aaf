//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"
	"syscall/js"
	"time"

	"github.com/go-openbadges/openbadges/examples/verifier-web/internal/webverify"
)

// timeout bounds one verification, as `openbadges verify --timeout`'s
// default does.
const timeout = time.Minute

func main() {
	w := &webverify.Verifier{Fetcher: browserFetcher(), Certificates: certificates()}
	api := js.Global().Get("Object").New()

	// verify(bytes Uint8Array, options string (JSON of webverify.Options
	// without files), files Array<{name, bytes}>) Promise<string>: the
	// JSON of a webverify.View.
	api.Set("verify", js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) < 3 {
			return reject("verify(bytes, options, files)")
		}
		input := bytesOf(args[0])
		var opts webverify.Options
		if err := json.Unmarshal([]byte(args[1].String()), &opts); err != nil {
			return reject("options: " + err.Error())
		}
		opts.Files = filesOf(args[2])
		return promise(func() (string, error) {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			b, err := json.Marshal(w.Verify(ctx, input, &opts))
			return string(b), err
		})
	}))

	// prepare(options, files) Promise<string>: builds the verifier for
	// these trust settings ahead of the first badge; resolves to "" or the
	// reason the settings cannot be used. trustFiles(files) says what each
	// trust file serves, as JSON.
	api.Set("prepare", js.FuncOf(func(this js.Value, args []js.Value) any {
		var opts webverify.Options
		if len(args) > 0 {
			_ = json.Unmarshal([]byte(args[0].String()), &opts)
		}
		if len(args) > 1 {
			opts.Files = filesOf(args[1])
		}
		return promise(func() (string, error) {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			if err := w.Prepare(ctx, &opts); err != nil {
				return err.Error(), nil
			}
			return "", nil
		})
	}))
	api.Set("trustFiles", js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) < 1 {
			return "[]"
		}
		_, described, _ := webverify.Documents(filesOf(args[0]))
		b, _ := json.Marshal(described)
		return string(b)
	}))

	// match(credential string, type string, identifier string) string: the
	// JSON of a webverify.MatchResult, computed here and now.
	api.Set("match", js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) < 3 {
			return `{"answer":"unknown","message":"match(credential, type, identifier)"}`
		}
		b, _ := json.Marshal(webverify.Match([]byte(args[0].String()), args[1].String(), args[2].String()))
		return string(b)
	}))

	// fetchBadge(url string) Promise<Uint8Array>: reads a badge from a
	// link with the same fetcher as the rest (https only, size and time
	// limits, no cookies). The page calls it only once the visitor has
	// turned the network on.
	api.Set("fetchBadge", js.FuncOf(func(this js.Value, args []js.Value) any {
		if len(args) < 1 {
			return reject("fetchBadge(url)")
		}
		u := args[0].String()
		return promiseValue(func() (js.Value, error) {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			b, err := badgeFetcher().Fetch(ctx, u)
			if err != nil {
				return js.Undefined(), err
			}
			arr := js.Global().Get("Uint8Array").New(len(b))
			js.CopyBytesToJS(arr, b)
			return arr, nil
		})
	}))

	api.Set("maxInput", webverify.MaxInput)
	api.Set("maxTrustFile", webverify.MaxTrustFile)
	api.Set("version", version())
	js.Global().Set("openbadgesVerifier", api)
	if ready := js.Global().Get("openbadgesVerifierReady"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	select {}
}

// version is the module's version this page was built from.
func version() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		v := strings.TrimSpace(info.Main.Version)
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " " + s.Value[:12]
			}
		}
		if v != "" {
			return v
		}
	}
	return "(devel)"
}

func bytesOf(v js.Value) []byte {
	if v.IsUndefined() || v.IsNull() {
		return nil
	}
	b := make([]byte, v.Get("length").Int())
	js.CopyBytesToGo(b, v)
	return b
}

func filesOf(v js.Value) []webverify.File {
	if v.IsUndefined() || v.IsNull() {
		return nil
	}
	n := v.Get("length").Int()
	files := make([]webverify.File, 0, n)
	for i := range n {
		f := v.Index(i)
		files = append(files, webverify.File{Name: f.Get("name").String(), Data: bytesOf(f.Get("bytes"))})
	}
	return files
}

// promise runs fn in a goroutine, so that it may wait for the browser
// (a fetch), and returns a Promise of its result.
func promise(fn func() (string, error)) js.Value {
	return promiseValue(func() (js.Value, error) {
		s, err := fn()
		return js.ValueOf(s), err
	})
}

func promiseValue(fn func() (js.Value, error)) js.Value {
	var handler js.Func
	handler = js.FuncOf(func(this js.Value, args []js.Value) any {
		resolve, rejectFn := args[0], args[1]
		go func() {
			defer handler.Release()
			defer func() {
				if r := recover(); r != nil {
					rejectFn.Invoke(js.Global().Get("Error").New(fmt.Sprint("the verifier failed: ", r)))
				}
			}()
			v, err := fn()
			if err != nil {
				rejectFn.Invoke(js.Global().Get("Error").New(err.Error()))
				return
			}
			resolve.Invoke(v)
		}()
		return nil
	})
	return js.Global().Get("Promise").New(handler)
}

func reject(msg string) js.Value {
	return js.Global().Get("Promise").Call("reject", js.Global().Get("Error").New(msg))
}
