package webhook_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/webhook"
)

// The test vector of the Standard Webhooks' libraries (TestWebhookSign in
// each of them).
const (
	vecSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vecID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vecTimestamp = 1614265330
	vecBody      = `{"test": 2432232314}`
	vecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func vecHeader() http.Header {
	h := http.Header{}
	h.Set(webhook.HeaderID, vecID)
	h.Set(webhook.HeaderTimestamp, strconv.Itoa(vecTimestamp))
	h.Set(webhook.HeaderSignature, vecSignature)
	return h
}

func TestSign_SpecVector(t *testing.T) {
	sig, err := webhook.Sign([]string{vecSecret}, vecID, time.Unix(vecTimestamp, 0), []byte(vecBody))
	require.NoError(t, err)
	assert.Equal(t, vecSignature, sig)

	// The prefix may be left out.
	sig, err = webhook.Sign([]string{strings.TrimPrefix(vecSecret, "whsec_")}, vecID, time.Unix(vecTimestamp, 0), []byte(vecBody))
	require.NoError(t, err)
	assert.Equal(t, vecSignature, sig)

	require.NoError(t, webhook.Verify([]string{vecSecret}, vecHeader(), []byte(vecBody), time.Unix(vecTimestamp, 0), 0))
}

func TestSign_Rotation(t *testing.T) {
	old, cur := webhook.NewSecret(), webhook.NewSecret()
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	body := []byte(`{"type":"maintenance.started"}`)
	sig, err := webhook.Sign([]string{cur, old}, "w1/started/x", at, body)
	require.NoError(t, err)
	parts := strings.Split(sig, " ")
	require.Len(t, parts, 2)
	for _, p := range parts {
		assert.True(t, strings.HasPrefix(p, "v1,"), p)
	}

	h := http.Header{}
	h.Set(webhook.HeaderID, "w1/started/x")
	h.Set(webhook.HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
	h.Set(webhook.HeaderSignature, sig)
	for _, secrets := range [][]string{{old}, {cur}, {webhook.NewSecret(), cur}} {
		assert.NoError(t, webhook.Verify(secrets, h, body, at, 0))
	}
	assert.ErrorIs(t, webhook.Verify([]string{webhook.NewSecret()}, h, body, at, 0), webhook.ErrSignature)
}

func TestVerify(t *testing.T) {
	now := time.Unix(vecTimestamp, 0)
	body := []byte(vecBody)
	with := func(name, value string) http.Header {
		h := vecHeader()
		if value == "" {
			h.Del(name)
		} else {
			h.Set(name, value)
		}
		return h
	}
	otherSig := func(secret string) string {
		s, err := webhook.Sign([]string{secret}, vecID, now, body)
		require.NoError(t, err)
		return s
	}
	tests := []struct {
		name      string
		secrets   []string
		header    http.Header
		body      string
		now       time.Time
		tolerance time.Duration
		want      error // nil: accepted
	}{
		{name: "valid", header: vecHeader()},
		{name: "valid at the edge of the tolerance", header: vecHeader(), now: now.Add(5 * time.Minute)},
		{name: "valid ahead, at the edge", header: vecHeader(), now: now.Add(-5 * time.Minute)},
		{name: "valid among others", header: with(webhook.HeaderSignature, "v2,abc v1,Zm9v "+otherSig(webhook.NewSecret())+" "+vecSignature)},
		{name: "valid with extra spaces", header: with(webhook.HeaderSignature, "  v1,Zm9v   "+vecSignature+" ")},
		{name: "tampered body", header: vecHeader(), body: `{"test": 2432232315}`, want: webhook.ErrSignature},
		{name: "body with a trailing newline", header: vecHeader(), body: vecBody + "\n", want: webhook.ErrSignature},
		{name: "tampered id", header: with(webhook.HeaderID, "msg_p5jXN8AQM9LWM0D4loKWxJel"), want: webhook.ErrSignature},
		{name: "tampered timestamp", header: with(webhook.HeaderTimestamp, strconv.Itoa(vecTimestamp+1)), want: webhook.ErrSignature},
		{name: "tampered signature", header: with(webhook.HeaderSignature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="), want: webhook.ErrSignature},
		{name: "unknown secret", secrets: []string{webhook.NewSecret()}, header: vecHeader(), want: webhook.ErrSignature},
		{name: "signature of another secret", header: with(webhook.HeaderSignature, otherSig(webhook.NewSecret())), want: webhook.ErrSignature},
		{name: "right signature, other version", header: with(webhook.HeaderSignature, "v2"+vecSignature[2:]), want: webhook.ErrSignature},
		{name: "signature without version", header: with(webhook.HeaderSignature, vecSignature[3:]), want: webhook.ErrSignature},
		{name: "signature too long", header: with(webhook.HeaderSignature, vecSignature+"AAAA"), want: webhook.ErrSignature},
		{name: "signature not base64", header: with(webhook.HeaderSignature, "v1,!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!="), want: webhook.ErrSignature},
		{name: "replayed after the tolerance", header: vecHeader(), now: now.Add(5*time.Minute + time.Second), want: webhook.ErrTimestamp},
		{name: "replayed an hour later", header: vecHeader(), now: now.Add(time.Hour), want: webhook.ErrTimestamp},
		{name: "from the future", header: vecHeader(), now: now.Add(-5*time.Minute - time.Second), want: webhook.ErrTimestamp},
		{name: "own tolerance", header: vecHeader(), now: now.Add(2 * time.Minute), tolerance: time.Minute, want: webhook.ErrTimestamp},
		{name: "no id", header: with(webhook.HeaderID, ""), want: webhook.ErrMissingHeader},
		{name: "no timestamp", header: with(webhook.HeaderTimestamp, ""), want: webhook.ErrMissingHeader},
		{name: "no signature", header: with(webhook.HeaderSignature, ""), want: webhook.ErrMissingHeader},
		{name: "timestamp in milliseconds", header: with(webhook.HeaderTimestamp, strconv.Itoa(vecTimestamp*1000)), want: webhook.ErrTimestamp},
		{name: "timestamp not a number", header: with(webhook.HeaderTimestamp, "yesterday"), want: webhook.ErrBadTimestamp},
		{name: "timestamp signed", header: with(webhook.HeaderTimestamp, "+"+strconv.Itoa(vecTimestamp)), want: webhook.ErrBadTimestamp},
		{name: "timestamp huge", header: with(webhook.HeaderTimestamp, strings.Repeat("9", 40)), want: webhook.ErrBadTimestamp},
		{name: "no secret", secrets: []string{}, header: vecHeader(), want: webhook.ErrSecret},
		{name: "empty secret", secrets: []string{"whsec_"}, header: vecHeader(), want: webhook.ErrSecret},
		{name: "secret not base64", secrets: []string{"whsec_not base64!"}, header: vecHeader(), want: webhook.ErrSecret},
		{name: "secret too short", secrets: []string{"whsec_c2hvcnQ="}, header: vecHeader(), want: webhook.ErrSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secrets := tt.secrets
			if secrets == nil {
				secrets = []string{vecSecret}
			}
			b := body
			if tt.body != "" {
				b = []byte(tt.body)
			}
			at := tt.now
			if at.IsZero() {
				at = now
			}
			err := webhook.Verify(secrets, tt.header, b, at, tt.tolerance)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

// The errors name what is wrong, never a secret.
func TestVerify_ErrorsKeepSecrets(t *testing.T) {
	secret := "whsec_c2hvcnQ="
	err := webhook.Verify([]string{vecSecret, secret}, vecHeader(), []byte(vecBody), time.Unix(vecTimestamp, 0), 0)
	require.ErrorIs(t, err, webhook.ErrSecret)
	assert.Contains(t, err.Error(), "secret 2")
	assert.NotContains(t, err.Error(), "c2hvcnQ")
}

// The Standard Webhooks' own Go library, as an independent
// implementation: it accepts what Sign signs, and Verify accepts what it
// signs.
func TestSign_CrossCheck(t *testing.T) {
	secret := webhook.NewSecret()
	ref, err := standardwebhooks.NewWebhook(secret)
	require.NoError(t, err)
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	for _, body := range []string{`{}`, `{"type":"maintenance.started","data":{"comment":"über 9000 ✓"}}`, ""} {
		id := "w42/started/2026-11-24T10:00:00.5Z"
		sig, err := webhook.Sign([]string{secret}, id, at, []byte(body))
		require.NoError(t, err)
		h := http.Header{}
		h.Set(standardwebhooks.HeaderWebhookID, id)
		h.Set(standardwebhooks.HeaderWebhookTimestamp, strconv.FormatInt(at.Unix(), 10))
		h.Set(standardwebhooks.HeaderWebhookSignature, sig)
		assert.NoError(t, ref.VerifyIgnoringTimestamp([]byte(body), h), "ours signed, theirs verifies")

		refSig, err := ref.Sign(id, at, []byte(body))
		require.NoError(t, err)
		assert.Equal(t, sig, refSig)
		h.Set(webhook.HeaderSignature, refSig)
		assert.NoError(t, webhook.Verify([]string{secret}, h, []byte(body), at, 0), "theirs signed, ours verifies")
		assert.ErrorIs(t, webhook.Verify([]string{secret}, h, []byte(body+" "), at, 0), webhook.ErrSignature)
	}
}

func TestNewSecret(t *testing.T) {
	a, b := webhook.NewSecret(), webhook.NewSecret()
	assert.NotEqual(t, a, b)
	assert.True(t, strings.HasPrefix(a, webhook.SecretPrefix))
	_, err := standardwebhooks.NewWebhook(a)
	assert.NoError(t, err)
	_, err = webhook.Sign([]string{a}, "id", time.Unix(0, 0), nil)
	assert.NoError(t, err)
}

func FuzzVerify(f *testing.F) {
	f.Add(vecID, strconv.Itoa(vecTimestamp), vecSignature, vecBody)
	f.Add("", "", "", "")
	f.Add("x", "-1", "v1,", "{}")
	f.Add("x", "1", "v1,"+strings.Repeat("A", 44)+" v1,=", "{}")
	f.Fuzz(func(t *testing.T, id, ts, sig, body string) {
		h := http.Header{}
		h.Set(webhook.HeaderID, id)
		h.Set(webhook.HeaderTimestamp, ts)
		h.Set(webhook.HeaderSignature, sig)
		err := webhook.Verify([]string{vecSecret}, h, []byte(body), time.Unix(vecTimestamp, 0), 0)
		if err == nil {
			// Accepted: then it must be the vector, or a body signed
			// under the vector's secret, which the fuzzer cannot forge.
			sec, perr := strconv.ParseInt(ts, 10, 64)
			require.NoError(t, perr)
			want, serr := webhook.Sign([]string{vecSecret}, id, time.Unix(sec, 0), []byte(body))
			require.NoError(t, serr)
			require.Contains(t, sig, want)
		}
	})
}
