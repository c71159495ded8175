package browsertest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/browsertest"
)

func TestEmpty(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<input id="a" value="x">`)
	}))
	defer srv.Close()
	ctx := browsertest.Chrome(t)
	err := chromedp.Do(ctx, chromedp.Navigate(srv.URL), chromedp.SetValue(chromedp.ID("a"), ""))
	t.Log(err)
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`""`))
	t.Logf("%q %v", v, err)
}
