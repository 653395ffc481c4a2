// Assessments the engine's worker scores by itself: the probe, scored before a snapshot is taken
// and again after it is restored (both answers must be equal), and the warm-up, which runs a
// restored engine's code before the page needs it. The warm-up's assessments are built from the
// scheme (its indicators and their points, the answers they can have, the tiers, the limits), so
// they follow the rules wherever those change.

const WARM_UP_ROUNDS = 40; // turns of the message queue spent scoring after a restore

/** The probe: any fixed text does (its answer only has to be the same after a restore); this one
 * goes through decimal arithmetic, a special deduction and the bonus. Stored answers were made
 * with it: changing it needs a new SNAPSHOT_FORMAT. */
const PROBE = '{"total": 91.5, "special_deductions": 1, "special_bonus": true}';

/** A full assessment: round `round` of each indicator's answers and the special items. */
function fullAssessment(scheme, round) {
  const statuses = Object.entries(scheme.statuses);
  const indicators = scheme.categories.flatMap((category) => category.indicators);
  const answers = indicators.map(({ id, points }, i) => {
    const [status, fields] = statuses[(i + round) % statuses.length];
    const samples = Math.min(scheme.limits.max_samples, indicators.length + round);
    // Each detail within its bounds: nonconforming samples up to the samples, points up to the
    // indicator's, in quarters.
    const details = { samples, nonconforming: (i + round) % (samples + 1), points: (points * ((i + round) % 5)) / 4 };
    return [id, Object.fromEntries([["status", status], ...fields.map((field) => [field, details[field]])])];
  });
  return {
    indicators: Object.fromEntries(answers),
    special_deductions: round % (scheme.special_deductions_fail + 1),
    special_bonus: round % 2 === 0,
  };
}

/** A total near a tier's minimum: on it, or half a point above or below. */
function quickAssessment(scheme, round) {
  const minimum = scheme.tiers[round % scheme.tiers.length].minimum;
  const total = Math.min(scheme.total_points, Math.max(0, minimum + ((round % 3) - 1) / 2));
  return { total, special_deductions: round % scheme.special_deductions_fail, special_bonus: false };
}

/** The engine's answer to the probe. */
export function probe(browser) {
  return browser.evaluate(PROBE, "en");
}

/**
 * Scores a range of assessments in the background, three per turn of the message queue. A
 * restored engine has run no Python yet in this page, so without this the page's first scores
 * would go through code the browser has not optimised yet, at about half the speed.
 */
export async function warmUp(browser, scheme) {
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    await new Promise((resolve) => setTimeout(resolve));
    const lang = round % 2 ? "en" : "zh";
    browser.evaluate(JSON.stringify(fullAssessment(scheme, round)), lang);
    browser.evaluate(JSON.stringify(quickAssessment(scheme, round)), lang);
    browser.evaluate(JSON.stringify({ total: String(round) }), lang); // an invalid one: the errors' path
  }
}
