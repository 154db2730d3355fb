// The page frame every dashboard page shares: Thai, one inline stylesheet allowed by its hash in the CSP
// (no script at all), navigation, the logout form. Styles only; each page's content lives in its own view.
import { createHash } from 'node:crypto';
import { html, raw, url, type Html, type Renderable } from '../html.ts';

const CSS = `
:root{--ink:#1d2733;--muted:#5b6775;--line:#d9dee4;--bg:#f5f7f9;--ok:#1e7b4f;--warn:#b26a00;--bad:#b42318;--none:#98a2b3;--blue:#1f5fa8}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 "Noto Sans Thai","Sarabun","Leelawadee UI",Tahoma,"Loma","Garuda",sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--blue)}
header.top{display:flex;gap:1.2rem;align-items:center;flex-wrap:wrap;padding:.55rem 1.2rem;background:#15324f;color:#fff}
header.top a{color:#fff;text-decoration:none}
header.top .brand{font-weight:700;font-size:1.05rem}
header.top nav{display:flex;gap:1rem;flex:1;flex-wrap:wrap}
header.top nav a{opacity:.9}header.top nav a:hover{opacity:1;text-decoration:underline}
header.top form{margin:0}
header.top .spacer{flex:1}
header.top button{background:transparent;border:1px solid #8fb3d9;color:#fff;border-radius:4px;padding:.15rem .6rem;cursor:pointer;font:inherit}
header.top .search input{padding:.2rem .5rem;border-radius:4px;border:0;width:15rem;font:inherit}
nav.campaigns{display:flex;gap:.3rem;flex-wrap:wrap;padding:.3rem 1.2rem 0;background:#23486e}
nav.campaigns a{color:#dbe7f3;text-decoration:none;padding:.3rem .8rem;border-radius:6px 6px 0 0;font-size:.9rem}
nav.campaigns a:hover{color:#fff;background:#2d5a86}nav.campaigns a[aria-current]{background:var(--bg);color:var(--ink);font-weight:600}
.campaign-list{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem}
.campaign-list .panel h2{margin-top:0}
ul.problems{margin:.2rem 0;padding-left:1.1rem}
main{max-width:1320px;margin:0 auto;padding:1rem 1.2rem 2rem}
h1{font-size:1.35rem;margin:.2rem 0 .6rem}h2{font-size:1.1rem;margin:1.4rem 0 .5rem}
.muted{color:var(--muted)}.small{font-size:.85rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:.7rem;margin:.8rem 0}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.6rem .8rem}
.card .n{font-size:1.7rem;font-weight:700;line-height:1.2}
.card.ok .n{color:var(--ok)}.card.warn .n{color:var(--warn)}.card.bad .n{color:var(--bad)}.card.blue .n{color:var(--blue)}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}
th,td{padding:.35rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600;font-size:.88rem}
td.num,th.num{text-align:right;white-space:nowrap}
tr:hover td{background:#fafcff}
.matrix th.item{font-size:.78rem;text-align:center;min-width:4.2rem}
.matrix td.cell{text-align:center;white-space:nowrap}
.c-accepted{color:var(--ok);font-weight:700}.c-received{color:var(--ok)}.c-partial{color:var(--warn)}
.c-returned{color:var(--bad)}.c-missing{color:var(--bad);font-weight:700}.c-none{color:var(--none)}
.badge{display:inline-block;border-radius:10px;padding:0 .5rem;font-size:.8rem;white-space:nowrap;border:1px solid transparent}
.s-complete{background:#e3f4ea;color:var(--ok)}.s-incomplete{background:#fff3dc;color:var(--warn)}
.s-not-submitted{background:#eceff3;color:var(--muted)}.late{background:#fde8e7;color:var(--bad)}
.r-accepted{background:#e3f4ea;color:var(--ok)}.r-awaiting-review{background:#e8f0fb;color:var(--blue)}.r-returned{background:#fde8e7;color:var(--bad)}
.actions{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center;margin:.6rem 0}
.button,button.primary,button.secondary,button.danger{display:inline-block;border-radius:5px;padding:.3rem .8rem;font:inherit;font-size:.9rem;cursor:pointer;text-decoration:none;border:1px solid var(--blue)}
.button,button.primary{background:var(--blue);color:#fff}
button.secondary{background:#fff;color:var(--blue)}button.danger{background:#fff;color:var(--bad);border-color:var(--bad)}
form.inline{display:inline-flex;gap:.3rem;align-items:center;margin:0;flex-wrap:wrap}
input[type=text],input[type=password],select{font:inherit;padding:.25rem .45rem;border:1px solid #b8c2cc;border-radius:4px}
.panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;margin:.8rem 0}
.flash{padding:.5rem .8rem;border-radius:6px;margin:.6rem 0}.flash.ok{background:#e3f4ea}.flash.bad{background:#fde8e7}
.chart{width:100%;height:auto;background:#fff;border:1px solid var(--line);border-radius:8px}
.legend{display:flex;gap:1rem;font-size:.85rem;margin:.3rem 0}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-1px}
.legend .k1{background:#2e9e68}.legend .k2{background:#f0b040}.legend .k3{background:#c9d1da}
pre.mail{white-space:pre-wrap;background:#fbfcfd;border:1px solid var(--line);padding:.6rem;border-radius:6px;max-height:24rem;overflow:auto}
.login{max-width:360px;margin:8vh auto;background:#fff;border:1px solid var(--line);border-radius:10px;padding:1.4rem}
.login label{display:block;margin:.6rem 0 .2rem}.login input{width:100%}.login button{margin-top:1rem;width:100%}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:0}dl.kv dt{color:var(--muted)}dl.kv dd{margin:0}
a.thumb img{display:block;width:80px;height:auto;min-height:40px;border:1px solid var(--line);background:#fff}
.badge.flag{background:#fff3dc;color:var(--warn);border-color:#f0c070}
.reading{margin-top:.2rem}ul.parts{margin:0;padding-left:1rem}
.filter{display:inline-flex;gap:.4rem;align-items:center}.filter a[aria-current]{font-weight:700;color:var(--ink);text-decoration:none}
footer{color:var(--muted);font-size:.8rem;text-align:center;padding:1rem}
@media (max-width:900px){.matrix th.item{min-width:2.5rem}main{padding:.6rem}}
`;

/** The CSP allows exactly this stylesheet and nothing else: no inline script, no style attributes. */
export const STYLE_HASH = `sha256-${createHash('sha256').update(CSS).digest('base64')}`;

export const CONTENT_SECURITY_POLICY = [
  'default-src \'none\'',
  `style-src '${STYLE_HASH}'`,
  'img-src \'self\' data:',
  'form-action \'self\'',
  'frame-ancestors \'none\'',
  'base-uri \'none\'',
].join('; ');

export interface PageContext {
  user?: string;
  /** Thai name of the account's role, shown beside the user. */
  role?: string;
  /** Links the role opens: the audit log, the accounts page. */
  audit?: boolean;
  accounts?: boolean;
  /** The reminders page link (admins and central staff). */
  reminders?: boolean;
  csrf?: string;
  campaignId?: string;
  /** The campaign switcher: every campaign in the config, the current one marked. */
  campaigns?: Array<{ id: string; title: string; scope?: 'person' | 'unit' }>;
  /** The home page (all campaigns) is the current page. */
  home?: boolean;
  /** "ข้อมูล ณ …" line: when the index last looked at the archive. */
  freshness?: string;
  /** Show the link to the queue view (administrators, when `serve` mounted it). */
  queues?: boolean;
}

export function csrfField(csrf: string | undefined): Html {
  return html`<input type="hidden" name="_csrf" value="${csrf ?? ''}">`;
}

function campaignNav(ctx: PageContext): Html {
  const c = ctx.campaignId;
  const scope = ctx.campaigns?.find((x) => x.id === c)?.scope;
  if (!c) return html``;
  if (scope === 'unit') {
    return html`<nav>
    <a href="${url('c', c)}">ภาพรวม</a>
    <a href="${url('c', c, 'missing')}">หน่วยงานที่ยังไม่ส่ง</a>
    ${ctx.reminders ? html`<a href="${url('c', c, 'reminders')}">การแจ้งเตือน</a>` : ''}
    <a href="${url('c', c, 'exports')}">ส่งออกรายงาน</a>
  </nav>`;
  }
  return html`<nav>
    <a href="${url('c', c)}">ภาพรวม</a>
    <a href="${url('c', c, 'unmatched')}">อีเมลที่ระบุตัวไม่ได้</a>
    ${ctx.reminders ? html`<a href="${url('c', c, 'reminders')}">การแจ้งเตือน</a>` : ''}
    <a href="${url('c', c, 'exports')}">ส่งออกรายงาน</a>
  </nav>
  <form class="search" method="get" action="${url('c', c, 'search')}"><input type="text" name="q" placeholder="ค้นหาเลขบัตร / ชื่อ" aria-label="ค้นหา"></form>`;
}

function nav(ctx: PageContext): Html {
  if (!ctx.user) return html``;
  return html`${campaignNav(ctx)}${ctx.campaignId ? '' : html`<span class="spacer"></span>`}
  ${ctx.queues ? html`<a class="small" href="/queues/">คิวงาน</a>` : ''}${ctx.audit ? html`<a class="small" href="/audit">บันทึกการใช้งาน</a>` : ''}${
    ctx.accounts ? html`<a class="small" href="/admin/users">บัญชีผู้ใช้</a>` : ''
  }
  <span class="small">ผู้ใช้: <bdi>${ctx.user}</bdi>${ctx.role ? ` (${ctx.role})` : ''}</span>
  <form method="post" action="/logout">${csrfField(ctx.csrf)}<button type="submit">ออกจากระบบ</button></form>
  <form method="post" action="/logout-everywhere">${csrfField(ctx.csrf)}<button type="submit" title="ออกจากระบบในทุกเครื่องที่ใช้บัญชีนี้">ออกทุกเครื่อง</button></form>`;
}

/** The campaign switcher under the header: every campaign in the config, no script needed. */
function switcher(ctx: PageContext): Html {
  if (!ctx.user || !ctx.campaigns?.length) return html``;
  const here = (on: boolean) => (on ? html` aria-current="page"` : '');
  return html`<nav class="campaigns" aria-label="เลือกเรื่องที่รับ"><a href="/"${here(Boolean(ctx.home))}>ทุกเรื่อง</a>
${ctx.campaigns.map((x) => html`<a href="${url('c', x.id)}" data-campaign="${x.id}"${here(x.id === ctx.campaignId)}>${x.title}</a>`)}</nav>`;
}

export function page(title: string, ctx: PageContext, body: Renderable): string {
  return html`<!doctype html>
<html lang="th"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${title} · SEIS Intake</title><style>${raw(CSS)}</style></head>
<body><header class="top"><a class="brand" href="/">SEIS Intake · ระบบรับเอกสาร</a>${nav(ctx)}</header>${switcher(ctx)}
<main>${body}</main>
<footer>${ctx.freshness ?? ''}</footer></body></html>`.value;
}
