// What a CLI command may touch of the outside world (tests pass their own). Here, below the
// CLI, because the running service also runs commands for a CLI beside it and streams their output.
export interface CliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
}

