package webhook_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/internal/sendtest"
	"github.com/sysmaint/sysmaint/adapters/webhook"
	"github.com/sysmaint/sysmaint/notify"
)

func benchBody(b *testing.B) []byte {
	body, err := json.Marshal(webhook.NewPayload(sendtest.Event(notify.EventStarted)))
	require.NoError(b, err)
	return body
}

func BenchmarkSign(b *testing.B) {
	body := benchBody(b)
	at := time.Unix(vecTimestamp, 0)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = webhook.Sign(secrets, "w1/started/2026-11-24T20:00:00Z", at, body)
	}
}

func BenchmarkVerify(b *testing.B) {
	body := benchBody(b)
	at := time.Unix(vecTimestamp, 0)
	sig, err := webhook.Sign(secrets, "w1/started/2026-11-24T20:00:00Z", at, body)
	require.NoError(b, err)
	h := http.Header{}
	h.Set(webhook.HeaderID, "w1/started/2026-11-24T20:00:00Z")
	h.Set(webhook.HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
	h.Set(webhook.HeaderSignature, sig)
	b.ReportAllocs()
	for b.Loop() {
		if err := webhook.Verify(secrets[1:], h, body, at, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSender_Notify posts to a receiver on the loopback interface:
// payload, signatures, one HTTP round trip on a kept-alive connection.
func BenchmarkSender_Notify(b *testing.B) {
	mock := sendtest.Clock()
	recv := sendtest.NewReceiver(b, mock)
	s, err := webhook.New(recv.URL, secrets, &webhook.Options{Clock: mock})
	require.NoError(b, err)
	e := sendtest.Event(notify.EventStarted)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Notify(context.Background(), e); err != nil {
			b.Fatal(err)
		}
	}
}
