//go:build windows

package store

// terminalPath is the console input; x/term reads it without echo.
const terminalPath = "CONIN$"
