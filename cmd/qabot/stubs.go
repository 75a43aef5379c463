package main

import (
	"context"
	"errors"
)

func (m *Main) runIndex(ctx context.Context, args []string) error { return errors.New("todo") }
