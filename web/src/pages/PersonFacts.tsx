import type { Person } from '../api';
import { label } from '../components';
import { currentLanguage, kLocaleTags, t } from '../i18n';
import { formatPartialDate } from '../partialDate';

/** A partial date in the reader's language: "2018", "May 2018", "3 May 2018", "about 2018". */
export function dateOf(text: string | undefined): string {
  return formatPartialDate(text ?? '', kLocaleTags[currentLanguage()], t('dates.about'));
}

/** The facts block of a person, the same on the person page and on both sides of a review. */
export function PersonFacts({ person, status }: { person: Person; status?: string }) {
  return (
    <dl class="facts">
      <dt>{t('person.born')}</dt>
      <dd data-fact="born">{dateOf(person.birth_date) || '—'}</dd>
      <dt>{t('person.gender')}</dt>
      <dd>{label('gender', person.gender)}</dd>
      <dt>{t('person.ethnicity')}</dt>
      <dd>{label('ethnicity', person.ethnicity)}</dd>
      <dt>{t('person.hometown')}</dt>
      <dd>
        <bdi>{person.hometown_text || person.hometown_code || '—'}</bdi>
      </dd>
      {person.occupation && (
        <>
          <dt>{t('person.occupation')}</dt>
          <dd>{person.occupation}</dd>
        </>
      )}
      {status !== undefined && (
        <>
          <dt>{t('person.status')}</dt>
          <dd>{label('status', status)}</dd>
        </>
      )}
    </dl>
  );
}
