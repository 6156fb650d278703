import { chromium } from '@playwright/test';
// usage: shot url out [nojs] [y] [h]
const [url, out] = [process.argv[2]!, process.argv[3]!];
const js = process.argv[4] !== 'nojs';
const y = Number(process.argv[5] ?? 0), h = Number(process.argv[6] ?? 900);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--disable-gpu'] });
const ctx = await b.newContext({ javaScriptEnabled: js, viewport: { width: 1280, height: 900 } });
const p = await ctx.newPage();
p.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('console', m.type(), m.text()); });
p.on('pageerror', (e) => console.log('pageerror', e.message, e.stack));
await p.goto(url);
await p.waitForTimeout(800);
const full = await p.evaluate(() => document.body.scrollHeight);
console.log('page height', full);
await p.screenshot({ path: out, fullPage: true, clip: { x: 0, y, width: 1280, height: Math.min(h, full - y) } });
await b.close();
