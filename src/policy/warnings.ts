import type { PolicyDocument } from './policy.ts';

/** A rule a valid policy may break, but which an operator should not break without knowing. */
export interface PolicyWarning {
  /** The key it is about, as the validation errors name keys (`categories.fraud.disclosure.gagDays`). */
  key: string;
  message: string;
}

/** The least number of upheld decisions below which a ban step should not be reachable. */
export const minDecisionsToBan = 3;

/**
 * The harsh choices `mdis policy check` warns about (issue 14): disclosure on statute or in an
 * emergency without oversight, a gag longer than the appeal window, grades above the lowest
 * denying actions outside the worlds, speech that may lead to an emergency disclosure or to one
 * without a case (issue 13), a ladder that bans after fewer than three decisions, negative
 * events that count directly (speech among them above all), and services allowed to check every
 * action by digital ID (issue 16). Pure: the document in, the warnings out.
 */
export function policyWarnings(document: PolicyDocument): PolicyWarning[] {
  const warnings: PolicyWarning[] = [];
  const windowDays = document.appeals.windowDays;
  warnings.push(...directEventWarnings(document));
  for (const [name, category] of Object.entries(document.categories)) {
    const rule = category.disclosure;
    if (!rule.allowed) continue;
    const unchecked = rule.legalBases?.filter((b) => b === 'statute' || b === 'emergency') ?? [];
    if (unchecked.length > 0 && rule.oversight !== 'required') {
      warnings.push({
        key: `categories.${name}.disclosure.oversight`,
        message: `${unchecked.join(' and ')} disclose without oversight: no one independent reviews them`,
      });
    }
    if ((rule.gagDays ?? 0) > windowDays) {
      warnings.push({
        key: `categories.${name}.disclosure.gagDays`,
        message: `a gag of ${rule.gagDays} days outlasts the ${windowDays}-day appeal window: the subject learns of it too late to appeal the decision`,
      });
    }
    if (category.speech === true && rule.legalBases?.includes('emergency')) {
      warnings.push({
        key: `categories.${name}.disclosure.legalBases`,
        message:
          'speech may lead to an emergency disclosure: an identity given out for what someone said, before any review',
      });
    }
    if (category.speech === true && rule.requiresCase === false) {
      warnings.push({
        key: `categories.${name}.disclosure.requiresCase`,
        message:
          'speech may lead to disclosure with no case in any world: an identity sought for what someone said that no moderator has looked at',
      });
    }
  }
  const lowest = document.credit.grades.at(-1)?.grade;
  for (const [name, action] of Object.entries(document.actions)) {
    if (name.startsWith('world.')) continue;
    const above = action.deniedAtGrades.filter((g) => g !== lowest);
    if (above.length > 0) {
      warnings.push({
        key: `actions.${name}.deniedAtGrades`,
        message: `grades above ${lowest} (${above.join(', ')}) deny an action outside the worlds`,
      });
    }
  }
  const ban = document.strikes.ladder.find((step) => step.sanction === 'ban');
  const allowed = new Set(Object.values(document.categories).flatMap((c) => range(c.maxSeverity)));
  const most = Math.max(0, ...[...allowed].map((s) => document.strikes.perSeverity[String(s)] ?? 0));
  if (ban !== undefined && most > 0) {
    const decisions = Math.ceil(ban.atStrikes / most);
    if (decisions < minDecisionsToBan) {
      warnings.push({
        key: `strikes.ladder.${document.strikes.ladder.indexOf(ban)}.atStrikes`,
        message: `a ban follows ${decisions} upheld decision(s) (${ban.atStrikes} strikes, up to ${most} a decision): fewer than ${minDecisionsToBan}`,
      });
    }
  }
  // Every action by digital ID (the list missing, or "*"): services can link a person across them.
  // A list of named actions is the operator's considered choice, documented in the policy itself.
  const digitalIdChecks = document.eligibility?.digitalIdChecks ?? ['*'];
  if (digitalIdChecks.includes('*')) {
    warnings.push({
      key: 'eligibility.digitalIdChecks',
      message:
        'services may check every action by digital ID: services that do can link a person across them; list the actions that need it (eligibility.digitalIdChecks) and move the rest to services’ own pseudonyms',
    });
  }
  return warnings;
}

// A negative event of a category that counts directly lowers a score on a world's word alone.
function directEventWarnings(document: PolicyDocument): PolicyWarning[] {
  const warnings: PolicyWarning[] = [];
  for (const [name, category] of Object.entries(document.categories)) {
    if (category.negativeEvents !== 'direct') continue;
    warnings.push({
      key: `categories.${name}.negativeEvents`,
      message:
        'negative events count on the score without a moderator: a world’s word alone lowers it (appealable as a credit contribution; denials by grade outside the worlds ignore these points)',
    });
    if (category.speech === true) {
      warnings.push({
        key: `categories.${name}.speech`,
        message: 'speech counts against the score on a world’s word alone, before any review',
      });
    }
  }
  return warnings;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
