// `GET /<provider>/docs`: a small interactive reference built in the browser from the
// provider's own `openapi.json`, with no assets from anywhere else (the simulator works
// offline, and so must its docs).

export function docsPage(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — customer-sim</title>
<style>
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:14px 24px}header h1{margin:0;font-size:19px}header p{margin:4px 0 0;opacity:.75;font-size:13px}
main{max-width:980px;margin:0 auto;padding:16px 24px}
details{background:#fff;border:1px solid #dde1e7;border-radius:6px;margin:10px 0}
summary{cursor:pointer;padding:10px 14px;font-family:ui-monospace,Menlo,Consolas,monospace}
.m{display:inline-block;min-width:64px;font-weight:700}.GET{color:#1a7f37}.POST{color:#0969da}.PATCH{color:#9a6700}.PUT{color:#9a6700}.DELETE{color:#cf222e}
.op{padding:4px 14px 14px}label{display:block;margin:8px 0 2px;font-size:13px;color:#57606a}
input,textarea{width:100%;box-sizing:border-box;font:13px ui-monospace,Menlo,Consolas,monospace;padding:6px;border:1px solid #d0d7de;border-radius:4px}
textarea{min-height:90px}button{margin-top:10px;padding:6px 14px;border:0;border-radius:4px;background:#1d2330;color:#fff;cursor:pointer}
pre{background:#0d1117;color:#e6edf3;padding:10px;border-radius:4px;overflow:auto;max-height:420px;font-size:12px}
#auth{margin:12px 0}
</style></head>
<body><header><h1>${escapeHtml(title)}</h1><p>Simulated by customer-sim. Credentials: <a style="color:#9ecbff" href="../__admin/fixtures">/__admin/fixtures</a> · schema: <a style="color:#9ecbff" href="openapi.json">openapi.json</a></p></header>
<main><div id="auth"><label for="headers">Headers sent with every call (JSON)</label><input id="headers" value='{}'></div><div id="ops">Loading openapi.json…</div></main>
<script>
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"}[c]));
fetch("openapi.json").then((r) => r.json()).then((doc) => {
  // The credential the provider's own security scheme asks for (Bearer token, API key header).
  const first = Object.values((doc.components || {}).securitySchemes || {})[0];
  if (first) {
    const pre = {};
    if (first.type === "http" && String(first.scheme).toLowerCase() === "bearer") pre.Authorization = "Bearer ";
    else if (first.type === "apiKey" && first.in === "header") pre[first.name] = "";
    else if (first.type === "oauth2" || first.type === "openIdConnect") pre.Authorization = "Bearer ";
    document.getElementById("headers").value = JSON.stringify(pre);
  }
  const ops = document.getElementById("ops");
  ops.innerHTML = "";
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!["get","post","put","patch","delete"].includes(method)) continue;
      const M = method.toUpperCase();
      const params = [...(item.parameters || []), ...(op.parameters || [])];
      const el = document.createElement("details");
      el.innerHTML = '<summary><span class="m ' + M + '">' + M + '</span>' + esc(path) + ' <small>' + esc(op.summary || "") + '</small></summary><div class="op">' +
        params.map((p) => '<label>' + esc(p.in) + ': ' + esc(p.name) + (p.required ? ' *' : '') + '</label><input data-in="' + esc(p.in) + '" data-name="' + esc(p.name) + '">').join("") +
        (op.requestBody ? '<label>JSON body</label><textarea data-body>{}</textarea>' : '') +
        '<button>Send</button><pre hidden></pre></div>';
      el.querySelector("button").onclick = async () => {
        let url = path; const query = new URLSearchParams();
        for (const input of el.querySelectorAll("input[data-in]")) {
          if (!input.value) continue;
          if (input.dataset.in === "path") url = url.replace("{" + input.dataset.name + "}", encodeURIComponent(input.value));
          else if (input.dataset.in === "query") query.append(input.dataset.name, input.value);
        }
        const out = el.querySelector("pre"); out.hidden = false;
        try {
          const headers = JSON.parse(document.getElementById("headers").value || "{}");
          const body = el.querySelector("[data-body]");
          if (body) headers["Content-Type"] = "application/json";
          const base = location.pathname.replace(/docs\\/?$/, "");
          const res = await fetch(base + url.replace(/^\\//, "") + (query.size ? "?" + query : ""), { method: M, headers, body: body ? body.value : undefined });
          const text = await res.text();
          let shown = text; try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch {}
          out.textContent = res.status + " " + res.statusText + "\\n\\n" + shown;
        } catch (e) { out.textContent = String(e); }
      };
      ops.appendChild(el);
    }
  }
}).catch((e) => { document.getElementById("ops").textContent = "Could not load openapi.json: " + e; });
</script></body></html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
