# Sourced by the install scripts: follow a background compile and print its progress.
#
# follow_build PID LOG LABEL
#   Prints "compiling LABEL: step 12/140 (35s)" whenever the build log shows a new step,
#   waits for PID, and on failure prints the log's last lines and exits 1.
#   Uses the caller's $start (SECONDS when the build began) for the elapsed time.
follow_build() {
  local pid="$1" log="$2" label="$3" last="" step
  while kill -0 "$pid" 2>/dev/null; do
    # ninja prints "[12/140] Building ...", make prints "[ 45%] Building ...".
    step="$(grep -aoE '\[ *[0-9]+(/[0-9]+|%)\]' "$log" | tail -n 1 | tr -d '[ ]' || true)"
    if [ -n "$step" ] && [ "$step" != "$last" ]; then
      printf '    compiling %s: step %s (%ss)\n' "$label" "$step" "$((SECONDS - start))"
      last="$step"
    fi
    sleep 5
  done
  if ! wait "$pid"; then
    echo "error: building $label failed; the last lines of the build log:" >&2
    tail -n 25 "$log" >&2
    exit 1
  fi
}
