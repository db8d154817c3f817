import type { JSX } from 'preact';
import type { ScreenProps } from './screen-props.ts';
import { Dashboard } from './screens/admin/dashboard.tsx';
import { Principals } from './screens/admin/principals.tsx';
import { DisclosureDetail } from './screens/disclosures/disclosure-detail.tsx';
import { DisclosureList } from './screens/disclosures/disclosure-list.tsx';
import { NewDisclosure } from './screens/disclosures/new-disclosure.tsx';
import { OversightQueue } from './screens/disclosures/oversight-queue.tsx';
import { TransparencyReport } from './screens/disclosures/transparency-report.tsx';
import { LogView } from './screens/log/log-view.tsx';
import { CaseDetailScreen } from './screens/moderator/case-detail.tsx';
import { CaseQueue } from './screens/moderator/case-queue.tsx';
import { Sanctions } from './screens/moderator/sanctions.tsx';
import { Bindings } from './screens/people/bindings.tsx';
import { Passkeys } from './screens/people/passkeys.tsx';
import { Sessions } from './screens/people/sessions.tsx';
import { Deliveries } from './screens/platform/deliveries.tsx';
import { Webhooks } from './screens/platform/webhooks.tsx';
import { WorldAvatars } from './screens/platform/world-avatars.tsx';
import { WorldReports } from './screens/platform/world-reports.tsx';
import { ActivationCodes } from './screens/registrar/activation-codes.tsx';
import { Enrol } from './screens/registrar/enrol.tsx';
import { Closure } from './screens/rights/closure.tsx';
import { Preservations } from './screens/rights/preservations.tsx';
import { Eligibility } from './screens/service/eligibility.tsx';
import { Corrections } from './screens/staff/corrections.tsx';
import { SubjectProfileScreen } from './screens/staff/subject-profile.tsx';
import { MyAccess } from './screens/subject/my-access.tsx';
import { MyAppeals } from './screens/subject/my-appeals.tsx';
import { MyCredentials } from './screens/subject/my-credentials.tsx';
import { MyData } from './screens/subject/my-data.tsx';
import { MyProfile } from './screens/subject/my-profile.tsx';
import { MyRecord } from './screens/subject/my-record.tsx';
import { MyScore } from './screens/subject/my-score.tsx';
import type { Role } from './types.ts';

interface Screen {
  path: string;
  title: string;
  /** Its name in the menu; screens reached from others have none. */
  nav?: string;
  roles: Role[];
  view: (props: ScreenProps) => JSX.Element;
}

/** The roles people hold (they sign in with passkeys and hold sessions); machines have neither. */
const people: Role[] = ['subject', 'admin', 'registrar', 'moderator', 'authority', 'oversight', 'auditor'];

/** Every screen, by role; each role's first screen with a menu entry is its home. */
export const screens: Screen[] = [
  { path: '/cases', title: 'Cases', nav: 'Cases', roles: ['moderator', 'admin'], view: CaseQueue },
  { path: '/cases/:id', title: 'Case', roles: ['moderator', 'admin'], view: CaseDetailScreen },
  {
    path: '/sanctions',
    title: 'Sanctions',
    nav: 'Sanctions',
    roles: ['moderator', 'admin'],
    view: Sanctions,
  },
  { path: '/me', title: 'My record', nav: 'My record', roles: ['subject'], view: MyRecord },
  { path: '/me/score', title: 'My score', nav: 'My score', roles: ['subject'], view: MyScore },
  { path: '/me/appeals', title: 'My appeals', nav: 'Appeals', roles: ['subject'], view: MyAppeals },
  {
    path: '/me/access',
    title: 'Who looked at my data',
    nav: 'Access history',
    roles: ['subject'],
    view: MyAccess,
  },
  { path: '/me/profile', title: 'My profile', nav: 'My profile', roles: ['subject'], view: MyProfile },
  { path: '/me/avatars', title: 'My avatars', nav: 'My avatars', roles: ['subject'], view: Bindings },
  {
    path: '/me/credentials',
    title: 'Credentials',
    nav: 'Credentials',
    roles: ['subject'],
    view: MyCredentials,
  },
  { path: '/me/data', title: 'My data', nav: 'My data', roles: ['subject'], view: MyData },
  { path: '/dashboard', title: 'Dashboard', nav: 'Dashboard', roles: ['admin'], view: Dashboard },
  { path: '/principals', title: 'Principals', nav: 'Principals', roles: ['admin'], view: Principals },
  {
    path: '/oversight',
    title: 'Disclosures to review',
    nav: 'To review',
    roles: ['oversight'],
    view: OversightQueue,
  },
  {
    path: '/disclosures',
    title: 'Disclosures',
    nav: 'Disclosures',
    roles: ['authority', 'oversight', 'auditor'],
    view: DisclosureList,
  },
  {
    path: '/disclosures/new',
    title: 'New disclosure request',
    nav: 'New request',
    roles: ['authority'],
    view: NewDisclosure,
  },
  {
    path: '/disclosures/:id',
    title: 'Disclosure',
    roles: ['authority', 'oversight', 'auditor'],
    view: DisclosureDetail,
  },
  {
    path: '/transparency',
    title: 'Transparency report',
    nav: 'Transparency',
    roles: ['oversight', 'auditor', 'admin'],
    view: TransparencyReport,
  },
  // A world's and a service's work, then the registrar's, before the log every role shares (a
  // role's menu starts with its home).
  { path: '/world', title: 'Avatars', nav: 'Avatars', roles: ['platform'], view: WorldAvatars },
  { path: '/world/reports', title: 'Reports', nav: 'Reports', roles: ['platform'], view: WorldReports },
  { path: '/world/webhooks', title: 'Webhooks', nav: 'Webhooks', roles: ['platform'], view: Webhooks },
  { path: '/world/webhooks/:id', title: 'Deliveries', roles: ['platform'], view: Deliveries },
  { path: '/eligibility', title: 'Eligibility', nav: 'Eligibility', roles: ['service'], view: Eligibility },
  { path: '/enrol', title: 'Enrol a subject', nav: 'Enrol', roles: ['registrar'], view: Enrol },
  {
    path: '/subjects',
    title: 'Find a subject',
    nav: 'Profiles',
    roles: ['registrar', 'admin'],
    view: SubjectProfileScreen,
  },
  {
    path: '/activation-codes',
    title: 'Activation codes',
    nav: 'Activation codes',
    roles: ['registrar'],
    view: ActivationCodes,
  },
  {
    path: '/corrections',
    title: 'Corrections',
    nav: 'Corrections',
    roles: ['registrar'],
    view: Corrections,
  },
  { path: '/closures', title: 'Close a subject', nav: 'Closures', roles: ['registrar'], view: Closure },
  {
    path: '/log',
    title: 'Transparency log',
    nav: 'Log',
    roles: [
      'admin',
      'auditor',
      'moderator',
      'subject',
      'authority',
      'oversight',
      'registrar',
      'platform',
      'service',
    ],
    view: LogView,
  },
  {
    path: '/preservations',
    title: 'Preservation orders',
    nav: 'Preservations',
    roles: ['authority', 'oversight', 'auditor'],
    view: Preservations,
  },
  // Last: a role's home is its first screen with a menu entry.
  {
    path: '/me/passkeys',
    title: 'My passkeys',
    nav: 'Passkeys',
    roles: people,
    view: Passkeys,
  },
  { path: '/me/sessions', title: 'My sessions', nav: 'Sessions', roles: people, view: Sessions },
];

const homes: Partial<Record<Role, string>> = {
  admin: '/dashboard',
  auditor: '/log',
  registrar: '/enrol',
};

export function homeOf(role: Role): string {
  return (
    homes[role] ?? screens.find((screen) => screen.nav !== undefined && screen.roles.includes(role))!.path
  );
}
