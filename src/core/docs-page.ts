// `GET /<provider>/docs`: Swagger UI over the provider's own `openapi.json`, with "try it"
// against this simulator (servers: the provider's mount, wherever it is served) and the first
// fixture tenant's `full` credential filled into the provider's security scheme. Its files
// come from the installed swagger-ui-dist package (`GET /<provider>/docs/assets/<file>`), read
// on request: nothing from the network (the simulator works offline, and so must its docs),
// and nothing loaded at start-up.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The swagger-ui-dist files the page uses, and their content types (nothing else is served). */
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
  "favicon-16x16.png": "image/png",
};

let assetDir: string | undefined;

/** swagger-ui-dist's folder, resolved from this module (the source tree, dist/ or the image). */
function swaggerUiDir(): string {
  assetDir ??= dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  return assetDir;
}

/** One of the page's assets, or null for any other name. Files are read per request (cached by the browser). */
export async function docsAsset(file: string): Promise<{ body: ArrayBuffer; contentType: string } | null> {
  const contentType = Object.hasOwn(ASSETS, file) ? ASSETS[file]! : undefined;
  if (!contentType) return null;
  const bytes = await readFile(join(swaggerUiDir(), file));
  return { body: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, contentType };
}

export interface DocsPageOptions {
  /** e.g. "<Provider> API" */
  title: string;
  /** The request path of the page (`/<provider>/docs`, `/docs` at the root): the rest is relative to it. */
  pagePath: string;
  /** Headers of the first fixture tenant's `full` credential, offered ready to use. */
  credential?: Record<string, string>;
}

/** The provider's mount, from the page's own path: `/<provider>/docs/` → `/<provider>`. */
export function mountOf(pagePath: string): string {
  return pagePath.replace(/\/+$/, "").replace(/\/docs$/, "");
}

export function docsPage(opts: DocsPageOptions): string {
  const mount = mountOf(opts.pagePath);
  const assets = `${mount}/docs/assets`;
  const config = { spec: `${mount}/openapi.json`, mount, credential: opts.credential ?? {} };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.title)} — customer-sim</title>
<link rel="stylesheet" href="${escapeHtml(assets)}/swagger-ui.css">
<link rel="icon" type="image/png" href="${escapeHtml(assets)}/favicon-32x32.png">
<style>body{margin:0}.sim-banner{font:14px/1.4 system-ui,sans-serif;background:#1d2330;color:#fff;padding:10px 20px}.sim-banner a{color:#9ecbff}</style>
</head>
<body>
<div class="sim-banner">${escapeHtml(opts.title)}, simulated by customer-sim. "Try it out" calls this simulator, with the first fixture tenant's full credential already filled in (others: <a href="/__admin/fixtures">/__admin/fixtures</a>).</div>
<div id="swagger-ui"></div>
<script src="${escapeHtml(assets)}/swagger-ui-bundle.js"></script>
<script>
(function () {
  var config = ${jsonForScript(config)};
  // Which header of the credential each security scheme reads, and its value there.
  function valueFor(scheme, headers) {
    var byName = {};
    Object.keys(headers).forEach(function (k) { byName[k.toLowerCase()] = headers[k]; });
    if (scheme.type === "apiKey" && scheme.in === "header") return byName[String(scheme.name).toLowerCase()];
    var auth = byName.authorization;
    if (!auth) return undefined;
    var scheme_ = String(scheme.scheme || "").toLowerCase();
    if ((scheme.type === "http" && scheme_ === "bearer") || scheme.type === "oauth2" || scheme.type === "openIdConnect") {
      return /^Bearer /i.test(auth) ? { bearer: auth.slice(7) } : undefined;
    }
    if (scheme.type === "http" && scheme_ === "basic" && /^Basic /i.test(auth)) {
      var decoded = atob(auth.slice(6)); var i = decoded.indexOf(":");
      return { user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
    }
    return undefined;
  }
  fetch(config.spec).then(function (r) { return r.json(); }).then(function (spec) {
    // "Try it out" goes to this simulator, wherever the provider is mounted.
    spec.servers = [{ url: location.origin + config.mount, description: "this simulator" }];
    var ui = SwaggerUIBundle({
      spec: spec,
      dom_id: "#swagger-ui",
      deepLinking: true,
      docExpansion: "list",
      tryItOutEnabled: true,
      persistAuthorization: false,
      validatorUrl: null,
      presets: [SwaggerUIBundle.presets.apis],
      onComplete: function () {
        var schemes = (spec.components && spec.components.securitySchemes) || {};
        Object.keys(schemes).forEach(function (name) {
          var v = valueFor(schemes[name], config.credential);
          if (v === undefined) return;
          if (typeof v === "string") ui.preauthorizeApiKey(name, v);
          else if (v.bearer !== undefined) ui.preauthorizeApiKey(name, v.bearer);
          else ui.preauthorizeBasic(name, v.user, v.pass);
        });
      },
    });
    window.ui = ui;
  }).catch(function (e) {
    document.getElementById("swagger-ui").textContent = "Could not load " + config.spec + ": " + e;
  });
})();
</script>
</body></html>`;
}

/** JSON inside a <script>: no `</script>` or `<!--` can close it early. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
