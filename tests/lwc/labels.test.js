import { LABELS } from '../../objects/sfdx/force-app/main/default/lwc/advocacyLabels/advocacyLabels';
import { LABELS as VALUES } from './support/labels';

// The real c/advocacyLabels module (the component tests get the labels' values in its place),
// compiled by the LWC compiler: in a test, each @salesforce/label import resolves to its own
// path, so each key must import the custom label of the same name, and every label in the
// package's CustomLabels file must be there.

describe('c/advocacyLabels', () => {
    it('when the module is compiled, then it imports every custom label of the package under its own name', () => {
        expect(Object.keys(LABELS).sort()).toEqual(Object.keys(VALUES).sort());
        for (const [name, value] of Object.entries(LABELS)) expect({ name, value }).toEqual({ name, value: `c.${name}` });
    });
});
