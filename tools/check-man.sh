#!/bin/sh
# SPDX-License-Identifier: MIT
#
# check-man.sh: every long option a command accepts must appear in its
# man page.  Options are read from the code, so a new option without
# documentation fails `make check`:
#
#   src/cli/opt.c        the rows of opt_table[] (GEN/FN/IGN/EARLY/ROW):
#                        the long name is the 2nd argument, the tools the
#                        5th; a row belongs to sbatch, srun and salloc as
#                        its tools say (SB, ALL, SB_SR, ... are resolved
#                        through opt.c's #defines).  srun and salloc are
#                        checked once src/cli/cmd-srun.c / cmd-salloc.c
#                        exist.
#   src/cli/cmd-NAME.c   every getopt_long table entry
#                        { "name", no|required|optional_argument, ... }
#                        -> man/NAME.1
#   src/daemon/*.c       the same -> man/berthd.8
#
# Input environment variables are checked the same way: the SBATCH_*
# names of opt.c must be in sbatch.1, and every string literal naming a
# variable of the tool's family (SQUEUE_* ...) or SLURM_* in cmd-TOOL.c and
# TOOL-*.c must be in TOOL.1.
#
# An option counts as documented when "--name" (written \-\-name in roff,
# font escapes allowed around it) occurs in the page, followed by a
# character that cannot continue an option name.
#
# Usage: tools/check-man.sh [srcdir]   (default: the repository root, found
# from this script's location).  Prints one line per missing option and
# exits 1 if there is any, else prints a summary and exits 0.

# Option and variable names are single words: the for loops over $(...)
# below split on purpose.
# shellcheck disable=SC2013
set -u

root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-man.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# "command option" pairs, one per line.
pairs=$tmp/pairs

# opt.c: resolve the tools macro of each row to tool names.
if [ -f src/cli/opt.c ]; then
	awk '
	function tools_of(tok,    expr, out, n, i, parts, t) {
		if (tok == "OPT_SBATCH") return "sbatch"
		if (tok == "OPT_SRUN") return "srun"
		if (tok == "OPT_SALLOC") return "salloc"
		if (tok == "OPT_ALLTOOLS") return "sbatch srun salloc"
		if (!(tok in def)) {
			printf "check-man: opt.c: unknown tools value %s\n", \
			    tok > "/dev/stderr"
			bad = 1
			return ""
		}
		expr = def[tok]
		gsub(/[()|]/, " ", expr)
		n = split(expr, parts, " ")
		out = ""
		for (i = 1; i <= n; i++) {
			if (parts[i] == "")
				continue
			t = tools_of(parts[i])
			out = out (out == "" ? "" : " ") t
		}
		return out
	}
	/^#define[ \t]+[A-Z_]+[ \t]/ {
		name = $2
		$1 = ""; $2 = ""
		def[name] = $0
	}
	{ text = text " " $0 }
	END {
		gsub(/[ \t]+/, " ", text)
		# Start of the table: skip the row-builder #defines above it.
		p = index(text, "opt_table[OPT_NIDS] = {")
		if (p == 0) {
			print "check-man: opt.c: opt_table not found" > \
			    "/dev/stderr"
			exit 2
		}
		text = substr(text, p)
		re = "(GEN3?|FN3?|IGN3?|EARLY|ROW)\\( ?OPT_ID_[A-Z0-9_]+, \"[^\"]+\", " \
		    "[^,]+, [A-Za-z_]+, [A-Za-z_]+"
		while (match(text, re)) {
			row = substr(text, RSTART, RLENGTH)
			text = substr(text, RSTART + RLENGTH)
			split(row, f, ",")
			name = f[2]
			gsub(/[ "]/, "", name)
			tok = f[5]
			gsub(/ /, "", tok)
			n = split(tools_of(tok), ts, " ")
			for (i = 1; i <= n; i++)
				print ts[i], name
			rows++
		}
		if (rows == 0) {
			print "check-man: opt.c: no option rows found" > \
			    "/dev/stderr"
			exit 2
		}
		exit bad ? 2 : 0
	}' src/cli/opt.c >"$pairs.opt" || exit 2
	# Only tools that exist as commands.
	while read -r tool opt; do
		[ -f "src/cli/cmd-$tool.c" ] && echo "$tool $opt"
	done <"$pairs.opt" >>"$pairs"
fi

# getopt_long tables.
longopts() {
	sed -n 's/.*{[ \t]*"\([A-Za-z0-9][A-Za-z0-9_-]*\)",[ \t]*\(no\|required\|optional\)_argument.*/\1/p' "$@"
}

for f in src/cli/cmd-*.c; do
	[ -f "$f" ] || continue
	tool=${f#src/cli/cmd-}
	tool=${tool%.c}
	longopts "$f" | sed "s/^/$tool /" >>"$pairs"
done
longopts src/daemon/*.c | sed 's/^/berthd /' >>"$pairs"

[ -s "$pairs" ] || { echo "check-man: no options found" >&2; exit 2; }

# Input environment variables, "tool =NAME" pairs: the SBATCH_* column of
# opt.c, and string literals that are a whole variable name of the tool's
# own family (SQUEUE_* for squeue, ...) or SLURM_* (what sbatch passes to
# the job) in cmd-TOOL.c and TOOL-*.c.
envvars() {
	fam=$(echo "$1" | tr '[:lower:]' '[:upper:]')
	shift
	grep -ho "\"\\($fam\\|SLURM\\)_[A-Z0-9_]*\"" "$@" 2>/dev/null |
	    tr -d '"'
}
if [ -f src/cli/opt.c ] && [ -f src/cli/cmd-sbatch.c ]; then
	grep -o '"SBATCH_[A-Z0-9_]*"' src/cli/opt.c | tr -d '"' |
	    sed 's/^/sbatch =/' >>"$pairs"
fi
for f in src/cli/cmd-*.c; do
	[ -f "$f" ] || continue
	tool=${f#src/cli/cmd-}
	tool=${tool%.c}
	envvars "$tool" "$f" src/cli/"$tool"-*.c | sed "s/^/$tool =/" >>"$pairs"
done

# The page text with roff escapes that may sit inside an option removed:
# \- -> -, \fB \fI \fR \fP \f(XX \f[X] -> nothing, \& -> nothing.
page_text() {
	sed -e 's/\\-/-/g' -e 's/\\f([A-Za-z][A-Za-z]//g' \
	    -e 's/\\f\[[^]]*\]//g' -e 's/\\f[A-Za-z1-4]//g' \
	    -e 's/\\&//g' "$1"
}

missing=0
checked=0
pages=0
for tool in $(cut -d' ' -f1 "$pairs" | sort -u); do
	if [ "$tool" = berthd ]; then
		page=man/berthd.8
	else
		page=man/$tool.1
	fi
	if [ ! -f "$page" ]; then
		echo "$page: missing page (command $tool has options)"
		missing=$((missing + 1))
		continue
	fi
	pages=$((pages + 1))
	page_text "$page" >"$tmp/page"
	for opt in $(awk -v t="$tool" '$1 == t { print $2 }' "$pairs" |
	    sort -u); do
		checked=$((checked + 1))
		case $opt in
		=*)	# an environment variable
			var=${opt#=}
			if ! grep -Eq -- "(^|[^A-Za-z0-9_])$var([^A-Za-z0-9_]|\$)" \
			    "$tmp/page"; then
				echo "$page: \$$var not documented"
				missing=$((missing + 1))
			fi
			;;
		*)
			if ! grep -Eq -- "--$opt([^A-Za-z0-9_-]|\$)" \
			    "$tmp/page"; then
				echo "$page: --$opt not documented"
				missing=$((missing + 1))
			fi
			;;
		esac
	done
done

if [ "$missing" -gt 0 ]; then
	echo "check-man: $missing missing" >&2
	exit 1
fi
echo "check-man: ok: $checked options and variables in $pages man pages"
exit 0
