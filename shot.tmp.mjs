import { chromium } from 'playwright-core';
const [,, url, out, scheme, y = '0', h = '1400'] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-quic','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
const page = await browser.newPage({ viewport: { width: 1300, height: 900 }, colorScheme: scheme || 'light' });
await page.goto(url);
await page.screenshot({ path: out, fullPage: true, clip: { x: 0, y: Number(y), width: 1300, height: Number(h) } });
await browser.close();
