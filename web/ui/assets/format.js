// Danish wording and formats shared by the pages.
const ZONE = 'Europe/Copenhagen';

const dateFormat = new Intl.DateTimeFormat('da-DK', { timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('da-DK', { timeZone: ZONE, hour: '2-digit', minute: '2-digit' });

function parts(date) {
  const p = Object.fromEntries(dateFormat.formatToParts(date).map((x) => [x.type, x.value]));
  return `${p.day}.${p.month}.${p.year}`;
}

// "2026-11-23" (a date) or an RFC 3339 timestamp → "23.11.2026" (Danish time for a timestamp).
export function formatDate(value) {
  if (!value) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-');
    return `${d}.${m}.${y}`;
  }
  return parts(new Date(value));
}

export function formatDateTime(value) {
  if (!value) return '';
  const date = new Date(value);
  return `${parts(date)} kl. ${timeFormat.format(date).replace('.', ':')}`;
}

// Today as YYYY-MM-DD in Danish time (for date inputs).
export function todayIso() {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date()).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

const ROLE_LABELS = {
  forebyggelsesbetjent: 'Forebyggelsesbetjent',
  socialraadgiver: 'Socialrådgiver',
  skole: 'Skole',
  psykiatri: 'Psykiatri',
  kriminalforsorg: 'Kriminalforsorgen',
  koordinator: 'Koordinator',
  maegler: 'Mægler',
  naevn: 'Nævnet',
};

export function roleLabel(role) {
  return ROLE_LABELS[role] || role || '';
}

// An enum option without a label in its definition (option_labels) is shown from its id:
// "bekymrende_adfaerd" → "Bekymrende adfaerd".
export function optionLabel(option) {
  const text = String(option).replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const RULES = {
  age_between: 'Borgerens alder ligger uden for den aldersgruppe, arbejdsgangen gælder for.',
  all_true: 'Alle de krævede bekræftelser og samtykker skal være givet.',
  date_in_future: 'Datoen skal ligge efter i dag.',
  date_not_in_future: 'Datoen må ikke ligge efter i dag.',
  consent_if_minor: 'En part er under 18 år, så samtykke fra forældremyndighedsindehaveren er påkrævet.',
  at_most_by_age: 'Værdien er højere, end borgerens alder tillader.',
};

// A refusal explained in Danish: the rule's meaning; the server's exact words follow.
export function ruleExplanation(error) {
  return RULES[error.details && error.details.rule] || '';
}
