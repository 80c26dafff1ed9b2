package glove_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/workspace-orchestrator/orchestrator/adapter/embed/internal/glove"
)

func TestRoundTripIsDeterministic(t *testing.T) {
	t.Parallel()
	v := &glove.Vocab{Dim: 3}
	v.Quantize("budget", 900, []float32{0.5, -1.27, 0})
	v.Quantize("zürich", 40000, []float32{0, 0, 0})
	var a, b bytes.Buffer
	require.NoError(t, glove.Write(&a, v))
	require.NoError(t, glove.Write(&b, v))
	require.Equal(t, a.Bytes(), b.Bytes())

	got, err := glove.Read(&a)
	require.NoError(t, err)
	require.Equal(t, v, got)
	require.Equal(t, []int8{50, -127, 0, 0, 0, 0}, got.Vectors)
	require.InDelta(t, 0.01, got.Scales[0], 1e-7)
}

func TestReadRejectsOtherFiles(t *testing.T) {
	t.Parallel()
	_, err := glove.Read(bytes.NewReader([]byte("not gzip")))
	require.Error(t, err)
}
