import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { api, type Stats } from '../api';
import { ErrorBox, Loading, label, useLoad } from '../components';
import { formatNumber, t } from '../i18n';
import { toCsv } from '../csv';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

/** A row's label: translated for enums; prefecture names and years as the server gives them. */
function rowLabel(group: string | null, value: string): string {
  if (group) return label(group, value);
  return value === 'unknown' ? t('status.unknown') : value;
}

interface Table {
  key: string;
  group: string | null; // catalogue group for the row labels
  rows: [string, number][];
}

export function statsTables(stats: Stats): Table[] {
  const sorted = (counts: Record<string, number>) => Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return [
    { key: 'by_status', group: 'status', rows: sorted(stats.by_status) },
    { key: 'by_ethnicity', group: 'ethnicity', rows: sorted(stats.by_ethnicity) },
    { key: 'by_prefecture', group: null, rows: sorted(stats.by_prefecture) },
    { key: 'by_detention_year', group: null, rows: Object.entries(stats.by_detention_year).sort((a, b) => a[0].localeCompare(b[0])) },
  ];
}

export function statsCsv(stats: Stats): string {
  const rows: (string | number)[][] = [['table', 'value', 'persons']];
  for (const table of statsTables(stats)) for (const [value, count] of table.rows) rows.push([table.key, value, count]);
  return toCsv(rows);
}

function BarChart({ table, title }: { table: Table; title: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const rtl = document.documentElement.dir === 'rtl';
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: table.rows.map(([value]) => rowLabel(table.group, value)),
        datasets: [{ label: t('stats.persons'), data: table.rows.map(([, count]) => count), backgroundColor: '#1f5f8b' }],
      },
      options: {
        indexAxis: table.key === 'by_detention_year' ? 'x' : 'y',
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        locale: document.documentElement.lang,
        plugins: { legend: { display: false }, tooltip: { rtl } },
        scales: {
          x: { reverse: rtl && table.key === 'by_detention_year', ticks: { precision: 0 } },
          y: { position: rtl ? 'right' : 'left', ticks: { precision: 0 } },
        },
      },
    });
    return () => chart.destroy();
  }, [table]);
  return (
    <div class="chart" style={{ blockSize: `${Math.max(160, Math.min(table.rows.length, 20) * 22 + 40)}px` }}>
      <canvas ref={canvas} role="img" aria-label={title} />
    </div>
  );
}

export function StatsPage() {
  const [stats] = useLoad(() => api.get<Stats>('/api/stats'), []);
  if (stats.state === 'loading') return <Loading />;
  if (stats.state === 'error') return <ErrorBox error={stats.error} />;
  const download = () => {
    const blob = new Blob([statsCsv(stats.value)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = 'izde-stats.csv';
    anchor.click();
    URL.revokeObjectURL(url);
  };
  return (
    <section>
      <h1>{t('stats.title')}</h1>
      <p class="bias note" role="note">
        {t('stats.bias')}
      </p>
      <p>
        {t('stats.total')}: <strong>{formatNumber(stats.value.persons)}</strong>{' '}
        <button type="button" onClick={download}>
          {t('stats.download')}
        </button>
      </p>
      {statsTables(stats.value).map((table) => {
        const title = t(`stats.${table.key}`);
        return (
          <section key={table.key} class="card stat">
            <h2>{title}</h2>
            <div class="stat-body">
              <BarChart table={table} title={title} />
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('stats.value')}</th>
                    <th scope="col">{t('stats.persons')}</th>
                  </tr>
                </thead>
                <tbody>
                  {table.rows.map(([value, count]) => (
                    <tr key={value}>
                      <td>
                        <bdi>{rowLabel(table.group, value)}</bdi>
                      </td>
                      <td class="num">{formatNumber(count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        );
      })}
    </section>
  );
}
