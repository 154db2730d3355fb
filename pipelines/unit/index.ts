// pipelines/unit: The per-unit campaigns (login-status, admin-appointment): units file, forms, filing, reply status, report.
export * from './admin-appointment.ts';
export * from './filing.ts';
export * from './form.ts';
export * from './reply-status.ts';
export * from './report.ts';
export * from './report-formats.ts';
export * from './types.ts';
export * from './units.ts';
