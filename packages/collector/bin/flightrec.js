#!/usr/bin/env node
// The `flightrec` command. The code is built into dist/; this file exists before any build, so a
// package manager can link the command in a fresh checkout without warning about a missing file.
import "../dist/cli.js";
