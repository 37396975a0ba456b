// The gpt kata's grader against its solution corpus: correct styles pass, every faulty file fails with its mistake named.
import { kataCorpusTests } from '../../test-support/kata-corpus-tests.ts';

kataCorpusTests('gpt');
