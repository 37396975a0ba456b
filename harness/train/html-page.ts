// The self-contained HTML shell shared by the training and experiments reports: inline CSS, no external resources.

export const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A two-column table of label → value; values are escaped. */
export function keyValueTable(rows: [string, string | number][]): string {
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`).join('')}</table>`;
}

export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 880px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; } th, td { padding: 2px 10px; text-align: left; border-bottom: 1px solid #eee; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.kv th { font-weight: normal; color: #555; }
pre.sample { background: #f7f7f5; padding: 1em; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.9em; border-left: 3px solid #0072b2; max-height: 24em; overflow: auto; }
pre.sample .ws { color: #bbb; }
table.wide { display: block; overflow-x: auto; max-width: 100%; } td, th { overflow-wrap: anywhere; }
details { margin-top: 1.6em; } details pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.85em; }
.figure { overflow-x: auto; } .note { color: #555; font-size: 0.9em; }
.alert { color: #9a3412; } .fails-grader { background: #fdecea; border-left: 4px solid #c62828; padding: 0.6em 1em; font-weight: bold; }
.samples { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 0.8em; } .samples > div { min-width: 0; } .samples h3 { font-size: 1em; margin: 0.2em 0; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}
