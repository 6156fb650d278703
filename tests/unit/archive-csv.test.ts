/**
 * The archive's CSV reading (src/lib/server/archive-rows.ts, csv-parse) on the files the real world sends:
 * a byte-order mark and mixed line ends are read; a row with a field missing or one too many is counted
 * as one invalid row while its neighbours are kept; a file cut inside a quoted field is refused with the
 * line, never half-read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArchive, parseCsv, TRACKER_HEADER } from '../../src/lib/server/archive-parse.ts';

const HEADER = TRACKER_HEADER.join(',');
const OK =
	'2026-07-20,vast.ai,RTX_4090,1,US,on_demand,0.3,0.4,0.5,9,https://console.vast.ai/api/v0/bundles/,';
const SKYPILOT = join(import.meta.dirname, '..', 'fixtures', 'archive', 'skypilot-vast-v7-excerpt.csv');

describe('archive CSV reading', () => {
	it('reads a byte-order mark and CRLF, LF and CR line ends mixed in one file', () => {
		expect(parseCsv('\uFEFFa,b\r\n1,2\n3,4\r5,6\r\n')).toEqual([
			['a', 'b'],
			['1', '2'],
			['3', '4'],
			['5', '6']
		]);
		const parsed = parseArchive(`\uFEFF${HEADER}\r\n${OK}\n${OK.replace('US', 'DE')}\r\n`);
		expect(parsed.rowsTotal).toBe(2);
		expect(parsed.observations.map((o) => o.region)).toEqual(['US', 'DE']);
	});

	it('counts a row with a field missing or one too many as invalid and keeps the others', () => {
		const short = OK.slice(0, OK.lastIndexOf(','));
		const parsed = parseArchive([HEADER, OK, short, `${OK},extra`, OK.replace('US', 'DE')].join('\n'));
		expect(parsed.rowsTotal).toBe(4);
		expect(parsed.observations.map((o) => o.region)).toEqual(['US', 'DE']);
		expect(parsed.invalid).toEqual({ 'number of fields': 2 });
	});

	it('counts a SkyPilot row with a field missing as invalid', () => {
		const lines = readFileSync(SKYPILOT, 'utf8').trim().split('\n');
		const whole = parseArchive(lines.join('\n'), undefined, { observedAt: new Date('2025-06-01T12:00:00Z') });
		// The Region field (quoted, the last) left out.
		const cut = lines[1]!.slice(0, lines[1]!.lastIndexOf(',"'));
		const parsed = parseArchive([lines[0], cut, ...lines.slice(1)].join('\n'), undefined, {
			observedAt: new Date('2025-06-01T12:00:00Z')
		});
		expect(parsed.rowsTotal).toBe(whole.rowsTotal + 1);
		expect(parsed.invalid['number of fields']).toBe(1);
		expect(parsed.observations).toEqual(whole.observations);
	});

	it('refuses a file cut inside a quoted field, naming the line, instead of reading half of it', () => {
		const cut = `${HEADER}\n${OK}\n2026-07-20,vast.ai,RTX_4090,1,"US`;
		expect(() => parseArchive(cut)).toThrow(
			/\[archive\] the CSV cannot be read at line 3 \(CSV_QUOTE_NOT_CLOSED\)/
		);
	});
});
