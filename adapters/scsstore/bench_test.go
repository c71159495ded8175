package scsstore_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/scsstore"
	"github.com/sysmaint/sysmaint/session"
)

// BenchmarkStore_Counts is what the admin screen's counters cost over scs:
// every session read and decoded (the Store is no session.Counter).
func BenchmarkStore_Counts(b *testing.B) {
	for _, n := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
			st := scsstore.New(newManager(openMem(b)), nil)
			m := session.New(st, nil)
			ctx := context.Background()
			for i := range n {
				k := session.Agent
				if i%3 == 0 {
					k = session.Customer
				}
				require.NoError(b, st.Create(ctx, session.Session{
					ID: fmt.Sprintf("s%06d", i), Kind: k, UserLogin: fmt.Sprintf("user%d", i%500),
					UserFullName: "Some User", RemoteAddr: "192.0.2.1", UserAgent: "Mozilla/5.0 (X11; Linux x86_64)",
					CreatedAt: day, LastRequestAt: day,
				}))
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				c, err := m.Counts(ctx)
				if err != nil || c.All != n {
					b.Fatal(c, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/session")
		})
	}
}

// BenchmarkGuard is what a request of a marked session costs with the
// guard inside scs's LoadAndSave, beside LoadAndSave alone: the parse of
// the sysmaint data, and a look at the cached kill record.
func BenchmarkGuard(b *testing.B) {
	mock := newMock()
	for _, guarded := range []bool{false, true} {
		b.Run(fmt.Sprintf("guard=%t", guarded), func(b *testing.B) {
			in := newInstance(b, openMem(b), mock)
			cookie := in.login(b, "user=bob&zone=Europe/Berlin&lang=de")
			var h http.Handler = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
			if guarded {
				h = in.st.LoadAndSave(h)
			} else {
				h = in.sm.LoadAndSave(h)
			}
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.AddCookie(&http.Cookie{Name: "session", Value: cookie})
			w := discard{header: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(w, r)
			}
		})
	}
}

type discard struct{ header http.Header }

func (d discard) Header() http.Header       { return d.header }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}
