// The phone field's types: bindPhoneInput over an <input> (typed by its shape,
// so a page's HTMLInputElement fits without the package needing the DOM
// library), its options and handle; definePhoneElement; the same from bdpay/clients.
import { bindPhoneInput, definePhoneElement, type FieldError, type OperatorHint, type PhoneInput } from 'bdpay';
import { bindPhoneInput as bindFromClients } from 'bdpay/clients';

declare const input: HTMLInputElement;

const phone: PhoneInput = bindPhoneInput(input, {
  kind: 'wallet',
  wallet: () => 'RK',
  digits: 'beng',
  onChange: (p) => {
    const number: string | undefined = p.number;
    const hint: Readonly<OperatorHint> | undefined = p.operator;
    void number;
    void hint;
  },
});
const error: FieldError | null = phone.error;
const checked: FieldError | null = phone.check();
phone.value = '+880 1712-345678';
const shown: string = phone.value;
const whole: boolean = phone.complete;
void [error, checked, shown, whole];
bindPhoneInput(null);
bindPhoneInput(undefined, { wallet: 'BK' });
bindFromClients(input).destroy();
const tag: string | undefined = definePhoneElement('shop-phone');
void tag;

// @ts-expect-error no such kind
bindPhoneInput(input, { kind: 'landline' });
// @ts-expect-error `number` is read-only
phone.number = '01712345678';
