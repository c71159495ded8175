package main

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParsePrefix(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for an error
	}{
		{"10.0.0.5", "10.0.0.5/32"},
		{"10.0.0.0/8", "10.0.0.0/8"},
		{"10.1.2.3/8", "10.0.0.0/8"},
		{"fd00::1", "fd00::1/128"},
		{"fd00::/64", "fd00::/64"},
		{"::ffff:192.0.2.1", "192.0.2.1/32"},
		{"", ""},
		{"proxy.example", ""},
		{"10.0.0.0/33", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parsePrefix(tt.in)
			if tt.want == "" {
				assert.Error(t, err)
				return
			}
			assert.NoError(t, err)
			assert.Equal(t, netip.MustParsePrefix(tt.want), got)
		})
	}
}

func TestPrefixList(t *testing.T) {
	var l prefixList
	assert.NoError(t, l.Set("10.0.0.5, fd00::/64"))
	assert.NoError(t, l.Set("192.0.2.0/24"))
	assert.Equal(t, "10.0.0.5/32,fd00::/64,192.0.2.0/24", l.String())
	assert.Error(t, l.Set("10.0.0.1,nope"))
}
