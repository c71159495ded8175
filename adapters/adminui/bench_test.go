package adminui_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/adminui"
	"github.com/sysmaint/sysmaint/adapters/memstore"
	"github.com/sysmaint/sysmaint/adapters/sqlstore"
	"github.com/sysmaint/sysmaint/maintenance"
)

// fill stores n windows of every validity, an hour apart, half of them
// before day, straight into the store.
func fill(b *testing.B, s maintenance.Store, n int) {
	b.Helper()
	ctx := context.Background()
	for i := range n {
		start := day.Add(time.Duration(i-n/2) * time.Hour)
		_, err := s.Create(ctx, maintenance.Window{
			Start: start, Stop: start.Add(90 * time.Minute), Comment: fmt.Sprintf("Window %d: database upgrade", i),
			NotifyMessage: "Upgrading the database.", Validity: maintenance.Validities[i%3],
			CreatedAt: day, CreatedBy: "bench", ChangedAt: day, ChangedBy: "bench",
		})
		require.NoError(b, err)
	}
}

// listOnly hides the store's PageLister: the Manager lists every window
// and pages in memory.
type listOnly struct{ maintenance.Store }

// BenchmarkOverview serves one page of the overview (50 windows) over
// SQLite with 100, 1 000 and 10 000 windows: the first page, a page in the
// middle (by its cursor), the last page, and the planned windows; and, for
// comparison, the first page from a store that cannot page. It reports the
// size of the page in bytes.
//
//	go test -run '^$' -bench Overview -benchtime 200x ./adapters/adminui/
func BenchmarkOverview(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		db, err := sqlstore.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), nil)
		require.NoError(b, err)
		b.Cleanup(func() { _ = db.Close() })
		fill(b, db.Windows(), n)
		stores := []struct {
			name  string
			store maintenance.Store
		}{{"sqlite", db.Windows()}, {"sqlite-list-only", listOnly{db.Windows()}}}
		if n == 10000 {
			mem := memstore.NewWindowStore()
			fill(b, mem, n)
			stores = append(stores, struct {
				name  string
				store maintenance.Store
			}{"memstore", mem})
		}
		for _, st := range stores {
			mock := clock.NewMock()
			mock.Set(day)
			m := maintenance.New(st.store, &maintenance.Options{Clock: mock, Logger: slog.New(slog.DiscardHandler)})
			require.NoError(b, m.Refresh(context.Background()))
			ui := adminui.New(m, &adminui.Options{
				Admin:  func(*http.Request) (adminui.Admin, bool) { return adminui.Admin{Actor: "bench"}, true },
				Logger: slog.New(slog.DiscardHandler),
			})
			// The middle page starts after the cursor of the window at day.
			pages := []struct{ name, target string }{
				{"first", prefix + "/"},
				{"middle", fmt.Sprintf("%s/?after=%d.%d", prefix, day.UnixMilli(), n/2+1)},
				{"last", prefix + "/?before="},
				{"planned", prefix + "/?state=planned"},
			}
			if st.name != "sqlite" {
				pages = pages[:1]
			}
			for _, pg := range pages {
				b.Run(fmt.Sprintf("%s/windows=%d/%s", st.name, n, pg.name), func(b *testing.B) {
					req := httptest.NewRequest(http.MethodGet, pg.target, nil)
					var size int
					b.ReportAllocs()
					for b.Loop() {
						rec := &countingWriter{header: http.Header{}}
						ui.ServeHTTP(rec, req)
						if rec.status != http.StatusOK {
							b.Fatalf("status %d", rec.status)
						}
						size = rec.n
					}
					b.ReportMetric(float64(size), "B/page")
				})
			}
		}
	}
}

// countingWriter is a ResponseWriter that counts the body and keeps
// nothing.
type countingWriter struct {
	header http.Header
	status int
	n      int
}

func (w *countingWriter) Header() http.Header { return w.header }
func (w *countingWriter) WriteHeader(s int)   { w.status = s }
func (w *countingWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.n += len(p)
	return io.Discard.Write(p)
}
