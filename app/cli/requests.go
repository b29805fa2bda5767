package cli

import (
	"fmt"
	"io"
	"strings"

	"hearth/app/core/archive"
)

// The request builders of the command table: each fills in a Request from
// a command's positional arguments, which number at least its minArgs.

func addRequest(req *Request, pos []string, _ options, _ Stdio) error {
	req.Code = strings.Join(pos, "")
	return nil
}

// contactRequest is for a command that names one contact (accept, history).
func contactRequest(req *Request, pos []string, _ options, _ Stdio) error {
	req.Contact = pos[0]
	return nil
}

func sendRequest(req *Request, pos []string, o options, stdio Stdio) error {
	req.Contact = pos[0]
	text := strings.Join(pos[1:], " ")
	if len(pos) == 2 && pos[1] == "-" {
		b, err := io.ReadAll(io.LimitReader(stdio.In, maxRequest+1))
		if err != nil {
			return fmt.Errorf("reading stdin: %w", err)
		}
		if len(b) > maxRequest {
			return fmt.Errorf("stdin: %w", ErrRequestTooLarge)
		}
		text = string(b)
	}
	if o.lines {
		req.Texts = strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	} else {
		req.Texts = []string{text}
	}
	return nil
}

func searchRequest(req *Request, pos []string, _ options, _ Stdio) error {
	req.Query = strings.Join(pos, " ")
	return nil
}

func exportRequest(req *Request, pos []string, o options, _ Stdio) error {
	if o.format == "" {
		return fmt.Errorf("%w: export needs --format html or --format text", ErrUsage)
	}
	if _, err := archive.ParseExportFormat(o.format); err != nil {
		return err
	}
	req.Contact = pos[0]
	return nil
}

func retentionRequest(req *Request, pos []string, _ options, _ Stdio) error {
	req.Contact = pos[0]
	if len(pos) > 1 {
		if _, err := fmt.Sscan(pos[1], &req.Days); err != nil || req.Days < 0 {
			return fmt.Errorf("%w: DAYS must be a whole number, 0 for forever", ErrUsage)
		}
	}
	return nil
}

func complianceRequest(req *Request, pos []string, _ options, _ Stdio) error {
	req.Contact = pos[0]
	switch strings.ToLower(pos[1]) {
	case "on", "yes", "true":
		req.On = true
	case "off", "no", "false":
	default:
		return fmt.Errorf("%w: compliance takes on or off", ErrUsage)
	}
	return nil
}
