# Sourced by every bench: bench_figure appends one row of bench/all's table (bench, figure, project, peer, ratio) to
# $BENCH_FIGURES when bench/all runs it, and does nothing otherwise. Figures are numbers with their unit in the
# figure's name; the peer's figure and the ratio are "-" where the bench has none.
bench_figure() {
  [ -n "${BENCH_FIGURES:-}" ] || return 0
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:--}" "${5:--}" >> "$BENCH_FIGURES"
}
# ratio A B: A / B to two decimals ("-" when B is 0 or missing).
ratio() { awk -v a="$1" -v b="${2:-0}" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'; }
