package main

import (
	"context"
	"errors"
)

func (m *Main) runChat(ctx context.Context, args []string) error  { return errors.New("todo") }
func (m *Main) runServe(ctx context.Context, args []string) error { return errors.New("todo") }
func (m *Main) runIndex(ctx context.Context, args []string) error { return errors.New("todo") }
