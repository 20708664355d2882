// The page's two languages: its own strings, digits and taka amounts.
// Messages of the library come in both languages (`message` and `messageBn`
// on a BdpayError, `message` and `message_bn` on a field error) and are
// picked here; nothing in this module touches the network or the DOM beyond
// <html lang>.

const STRINGS = {
  en: {
    title: 'bdpay checkout',
    language: 'Language',
    loading: 'Loading the payment library…',
    loadFailed: 'The bdpay package could not be loaded. Build it with ./build.sh and reload.',
    configFailed: 'This page cannot reach the payment service: {detail}',
    noticeSandbox:
      'Demo against the local sandbox: no real money moves. This page uses a sandbox test token; a real merchant’s token must never be in a browser. ./build.sh demo shows the real flow, where the shop’s server and a proxy hold it.',
    noticeShop:
      'Demo shop: the shop’s server approves each payment, then this page pays it through the proxy. The page holds no token and no PIN. The sandbox stands in for the gateway: no real money moves.',
    tablist: 'Payment type',
    'tab.recharge': 'Recharge',
    'tab.packages': 'Data / Drive packages',
    'tab.mfs': 'MFS transfer',
    'tab.bill': 'Bill payment',
    'tab.bulk': 'Bulk',
    'heading.recharge': 'Mobile recharge',
    'heading.packages': 'Buy a data or drive package',
    'heading.mfs': 'Send money to a wallet',
    'heading.bill': 'Pay a utility bill',
    'heading.bulk': 'Recharge many numbers from a file',
    optional: '(optional)',

    phone: 'Mobile number',
    phoneHint: 'Like 01712345678, +880 1712-345678 or ০১৭১২৩৪৫৬৭৮.',
    operator: 'Operator',
    chooseOperator: 'Choose an operator',
    suggested: 'Suggested for {prefix}',
    otherOperators: 'Other operators (ported numbers)',
    detected: 'Detected from the number: {name}.',
    detectedAlso: 'Also on {prefix}: {names}.',
    detectedNone: 'The operator is detected from the first digits.',
    detectedUnknown: 'No operator issues numbers starting {prefix}.',
    ported: 'Numbers can be ported: change the operator if needed.',
    network: 'Mobile network: {name}.',

    connection: 'Connection',
    Prepaid: 'Prepaid',
    Postpaid: 'Postpaid',
    amount: 'Amount (৳)',
    amountHint: 'From {min} to {max}.',
    'submit.recharge': 'Recharge',

    packageType: 'Package type',
    data: 'Data',
    drive: 'Drive (offer)',
    package: 'Package',
    packagesChoose: 'Enter the number or choose an operator to see its packages.',
    packagesLoading: 'Loading packages…',
    packagesNone: 'No packages of this type for {name}.',
    packagesFailed: 'The packages could not be loaded.',
    price: 'Price {price}',
    commission: 'your commission {amount}',
    chosenPackage: 'Package {id}: you pay {price}, your commission is {commission}.',
    chosenPackageShop: 'Package {id}: you pay {price}.',
    'submit.packages': 'Buy package',

    wallet: 'Wallet',
    walletNumber: 'Wallet number',
    walletHint: 'bKash and Nagad: 11 digits. Rocket: 11 digits, or its 12-digit account.',
    'submit.mfs': 'Send money',

    billersLoading: 'Loading billers…',
    billersFailed: 'The billers could not be loaded.',
    billType: 'Bill type',
    unavailable: 'unavailable',
    biller: 'Biller',
    chooseBillType: 'Choose the kind of bill first.',
    readOnly: 'Set by the biller.',
    choose: 'Choose…',
    getBill: 'Get the bill',
    summary: 'Bill summary',
    billAmount: 'Bill amount',
    charge: 'Charge',
    total: 'Total to pay',
    totalPaid: 'Total paid',
    pin: 'Wallet PIN',
    pinHint: '4 to 6 digits.',
    noPin: 'You pay {amount} to the shop, and the shop pays the biller for you: no wallet PIN is asked here.',
    pay: 'Pay',
    payTotal: 'Pay {amount}',
    changeDetails: 'Change details',
    receipt: 'Receipt',
    billPaid: 'Bill paid: {amount}',
    billGetting: 'Getting the bill…',
    paidAt: 'Paid at',
    billInfo: 'Bill',
    requestId: 'Request ID',
    anotherBill: 'Pay another bill',
    pinWrong: 'The PIN does not match. Check it and try again.',

    statusHeading: 'Payment status',
    sending: 'Sending the payment…',
    Pending: 'Pending',
    Success: 'Success',
    Failed: 'Failed',
    waiting: 'Waiting for the operator to confirm…',
    stillPending: 'Still pending after {secs} seconds. The operator may confirm it later.',
    statusUnknown: 'The payment was sent, but its status could not be checked just now.',
    checkAgain: 'Check the status again',
    'unknown.now':
      'Sent, not confirmed yet: the payment may have gone through. Do not pay again. Checking its status…',
    'unknown.late':
      'Still not confirmed after {secs} seconds: the payment may have gone through. Do not pay again; check its status in a moment.',
    trxId: 'Transaction ID (trx_id)',
    refId: 'Your reference (ref_id)',
    paid: 'Amount',
    to: 'To',

    bulkIntro:
      'A CSV file with a header row: phone and amount, and optionally type, operator_code, sub_type and note. Every row is checked before anything is sent; each is paid once, and a reloaded page carries on where it stopped.',
    bulkLoading: 'Loading the bulk tool…',
    bulkLoadFailed: 'The bulk tool could not be loaded.',
    bulkFile: 'CSV file',
    bulkPaste: 'Or paste the CSV',
    bulkPasteHint: 'For example: phone,amount on the first line, then 01712345678,50',
    bulkCheck: 'Check the rows',
    bulkEmpty: 'Choose a file or paste the CSV first.',
    bulkFileProblem: 'The file cannot be used',
    bulkResumed: 'This job was saved in this browser and has been opened again. Rows already sent are checked with the gateway before anything else is sent: none is paid twice.',
    bulkSummary: '{total} rows: {ready} to send, {invalid} with errors, {skipped} skipped.',
    bulkRowsCaption: 'Rows',
    bulkTotalsCaption: 'Still to send, by operator',
    bulkNothingLeft: 'Nothing left to send.',
    bulkLine: 'Line',
    bulkStatus: 'Status',
    bulkProblems: 'Problems',
    bulkRows: 'Rows',
    bulkAll: 'All operators',
    bulkAction: 'Action',
    bulkSkip: 'Skip line {line}',
    bulkInclude: 'Include line {line}',
    bulkSkipShort: 'Skip',
    bulkIncludeShort: 'Include',
    bulkSkipBad: 'Skip all rows with errors',
    bulkStart: 'Start',
    bulkResume: 'Resume',
    bulkPause: 'Pause',
    bulkCancel: 'Cancel the job',
    bulkDownload: 'Download results',
    bulkNew: 'New job',
    bulkProgress: 'Progress',
    bulkProgressText: '{done} of {total} done: {success} successful, {failed} failed, {pending} pending.',
    bulkEta: 'About {mins} min left ({rate} a minute).',
    bulkRunning: 'Sending…',
    bulkPausing: 'Pausing: payments already sent are checked first…',
    bulkPaused: 'Paused.',
    bulkFinished: 'Finished.',
    bulkCancelled: 'Cancelled: nothing more will be sent.',
    bulkHalted: 'The job paused itself',
    bulkFixFirst: 'Skip or correct the rows with errors before starting.',
    bulkTrx: 'trx_id {id}',
    'field.phone': 'Mobile number',
    'field.amount': 'Amount',
    'field.operator_code': 'Operator',
    'field.type': 'Type',
    'field.sub_type': 'Connection',
    'field.package_id': 'Package',
    'field.': 'Row',
    'state.invalid': 'Has errors',
    'state.skipped': 'Skipped',
    'state.queued': 'Ready',
    'state.sending': 'Sending',
    'state.unknown': 'Checking',
    'state.pending': 'Pending',
    'state.success': 'Success',
    'state.failed': 'Failed',
    'state.cancelled': 'Cancelled',

    fixErrors: 'Please correct the highlighted field.',
    fixErrorsMany: 'Please correct the {count} highlighted fields.',
    'err.insufficient_balance': 'Not enough balance',
    'err.insufficient_balance.detail':
      'The merchant account’s balance is too low for this payment. Nothing was charged.',
    'err.insufficient_balance.balance': 'Balance available: {balance}.',
    'err.rate_limited': 'Too many requests',
    'err.rate_limited.wait': 'The payment service asked us to slow down. You can try again in {secs} s. Nothing was charged.',
    'err.rate_limited.soon': 'The payment service asked us to slow down. You can try again in a few seconds. Nothing was charged.',
    'err.rate_limited.ready': 'You can try again now. Nothing was charged.',
    'err.duplicate': 'Already used',
    'err.duplicate.detail':
      'This order reference was already used for a different payment, so nothing new was charged. Start the payment again.',
    'err.network': 'No connection',
    'err.network.safe': 'The payment service could not be reached. Nothing was charged: you can try again.',
    'err.network.unknown':
      'The connection dropped and the payment could not be confirmed. Do not pay again until you have checked its status (reference {ref}).',
    'err.repeat': 'Paid a moment ago',
    'repeat.pay': 'Pay again',
    'repeat.cancel': 'Do not pay',
    'err.unknown': 'Not confirmed yet',
    'err.unknown.detail': 'The payment may have gone through. Do not pay again until its status is known (reference {ref}).',
    'err.unknown.detailNoRef': 'The payment may have gone through. Do not pay again until its status is known.',
    'err.unknown.notFound':
      'The payment service still holds no payment under reference {ref}. You can send it again: it keeps the same reference.',
    'err.unauthorized': 'Access refused',
    'err.unauthorized.detail': 'The payment service refused this page’s credentials. Check the token or the proxy.',
    'err.forbidden': 'Not allowed',
    'err.forbidden.detail': 'This merchant account may not make this payment.',
    'err.server': 'Service problem',
    'err.server.detail': 'The payment service had a problem. Try again in a moment.',
    'err.refused': 'Not accepted',
    'err.other': 'Something went wrong',
    'err.other.detail': 'The payment could not be completed: {message}',
    retry: 'Try again',
  },
  bn: {
    title: 'bdpay চেকআউট',
    language: 'ভাষা',
    loading: 'পেমেন্ট লাইব্রেরি লোড হচ্ছে…',
    loadFailed: 'bdpay প্যাকেজ লোড করা যায়নি। ./build.sh দিয়ে বিল্ড করে পেজটি আবার খুলুন।',
    configFailed: 'এই পেজ পেমেন্ট সেবার সাথে যুক্ত হতে পারছে না: {detail}',
    noticeSandbox:
      'লোকাল স্যান্ডবক্সে চলা ডেমো: কোনো আসল টাকা লেনদেন হয় না। এই পেজ স্যান্ডবক্সের একটি পরীক্ষামূলক টোকেন ব্যবহার করে; আসল মার্চেন্টের টোকেন কখনোই ব্রাউজারে রাখা যাবে না। আসল পদ্ধতি দেখতে ./build.sh demo চালান: সেখানে টোকেন থাকে দোকানের সার্ভার আর প্রক্সির কাছে।',
    noticeShop:
      'ডেমো দোকান: প্রতিটি পেমেন্ট আগে দোকানের সার্ভার অনুমোদন করে, তারপর এই পেজ প্রক্সির মাধ্যমে তা পরিশোধ করে। পেজে কোনো টোকেন বা পিন থাকে না। গেটওয়ের জায়গায় স্যান্ডবক্স চলছে: কোনো আসল টাকা লেনদেন হয় না।',
    tablist: 'পেমেন্টের ধরন',
    'tab.recharge': 'রিচার্জ',
    'tab.packages': 'ডেটা / ড্রাইভ প্যাকেজ',
    'tab.mfs': 'মোবাইল ব্যাংকিং',
    'tab.bill': 'বিল পরিশোধ',
    'tab.bulk': 'একসাথে রিচার্জ',
    'heading.recharge': 'মোবাইল রিচার্জ',
    'heading.packages': 'ডেটা বা ড্রাইভ প্যাকেজ কিনুন',
    'heading.mfs': 'ওয়ালেটে টাকা পাঠান',
    'heading.bill': 'ইউটিলিটি বিল পরিশোধ করুন',
    'heading.bulk': 'ফাইল থেকে অনেক নম্বরে রিচার্জ',
    optional: '(ঐচ্ছিক)',

    phone: 'মোবাইল নম্বর',
    phoneHint: 'যেমন ০১৭১২৩৪৫৬৭৮ বা +৮৮০ ১৭১২-৩৪৫৬৭৮; ইংরেজি অঙ্কেও লেখা যায়।',
    operator: 'অপারেটর',
    chooseOperator: 'অপারেটর বেছে নিন',
    suggested: '{prefix} নম্বরের জন্য প্রস্তাবিত',
    otherOperators: 'অন্যান্য অপারেটর (পোর্ট করা নম্বর)',
    detected: 'নম্বর থেকে শনাক্ত: {name}।',
    detectedAlso: '{prefix} নম্বরে আরও আছে: {names}।',
    detectedNone: 'প্রথম অঙ্কগুলো থেকে অপারেটর শনাক্ত হয়।',
    detectedUnknown: '{prefix} দিয়ে শুরু নম্বর কোনো অপারেটর দেয় না।',
    ported: 'নম্বর পোর্ট করা যায়: দরকার হলে অপারেটর বদলে দিন।',
    network: 'মোবাইল নেটওয়ার্ক: {name}।',

    connection: 'সংযোগ',
    Prepaid: 'প্রিপেইড',
    Postpaid: 'পোস্টপেইড',
    amount: 'টাকার পরিমাণ (৳)',
    amountHint: '{min} থেকে {max} পর্যন্ত।',
    'submit.recharge': 'রিচার্জ করুন',

    packageType: 'প্যাকেজের ধরন',
    data: 'ডেটা',
    drive: 'ড্রাইভ (অফার)',
    package: 'প্যাকেজ',
    packagesChoose: 'প্যাকেজ দেখতে নম্বর লিখুন বা অপারেটর বেছে নিন।',
    packagesLoading: 'প্যাকেজ লোড হচ্ছে…',
    packagesNone: '{name}-এর এই ধরনের কোনো প্যাকেজ নেই।',
    packagesFailed: 'প্যাকেজ লোড করা যায়নি।',
    price: 'দাম {price}',
    commission: 'আপনার কমিশন {amount}',
    chosenPackage: 'প্যাকেজ {id}: আপনি দেবেন {price}, আপনার কমিশন {commission}।',
    chosenPackageShop: 'প্যাকেজ {id}: আপনি দেবেন {price}।',
    'submit.packages': 'প্যাকেজ কিনুন',

    wallet: 'ওয়ালেট',
    walletNumber: 'ওয়ালেট নম্বর',
    walletHint: 'বিকাশ ও নগদ: ১১ অঙ্ক। রকেট: ১১ অঙ্ক, অথবা ১২ অঙ্কের অ্যাকাউন্ট।',
    'submit.mfs': 'টাকা পাঠান',

    billersLoading: 'বিল প্রতিষ্ঠানের তালিকা লোড হচ্ছে…',
    billersFailed: 'বিল প্রতিষ্ঠানের তালিকা লোড করা যায়নি।',
    billType: 'বিলের ধরন',
    unavailable: 'এখন পাওয়া যাচ্ছে না',
    biller: 'বিল প্রতিষ্ঠান',
    chooseBillType: 'আগে বিলের ধরন বেছে নিন।',
    readOnly: 'প্রতিষ্ঠান নির্ধারিত।',
    choose: 'বেছে নিন…',
    getBill: 'বিল দেখুন',
    summary: 'বিলের সারসংক্ষেপ',
    billAmount: 'বিলের পরিমাণ',
    charge: 'চার্জ',
    total: 'মোট পরিশোধ',
    totalPaid: 'মোট পরিশোধিত',
    pin: 'ওয়ালেট পিন',
    pinHint: '৪ থেকে ৬ অঙ্ক।',
    noPin: 'আপনি দোকানকে {amount} দেবেন, দোকান আপনার হয়ে বিলটি পরিশোধ করবে: এখানে কোনো ওয়ালেট পিন লাগবে না।',
    pay: 'পরিশোধ করুন',
    payTotal: '{amount} পরিশোধ করুন',
    changeDetails: 'তথ্য বদলান',
    receipt: 'রসিদ',
    billPaid: 'বিল পরিশোধ হয়েছে: {amount}',
    billGetting: 'বিলটি আনা হচ্ছে…',
    paidAt: 'পরিশোধের সময়',
    billInfo: 'বিল',
    requestId: 'অনুরোধ আইডি',
    anotherBill: 'আরেকটি বিল পরিশোধ করুন',
    pinWrong: 'পিন মেলেনি। দেখে আবার চেষ্টা করুন।',

    statusHeading: 'পেমেন্টের অবস্থা',
    sending: 'পেমেন্ট পাঠানো হচ্ছে…',
    Pending: 'প্রক্রিয়াধীন',
    Success: 'সফল',
    Failed: 'ব্যর্থ',
    waiting: 'অপারেটরের নিশ্চিতকরণের অপেক্ষা…',
    stillPending: '{secs} সেকেন্ড পরেও প্রক্রিয়াধীন। অপারেটর পরে নিশ্চিত করতে পারে।',
    statusUnknown: 'পেমেন্ট পাঠানো হয়েছে, কিন্তু এই মুহূর্তে এর অবস্থা দেখা যায়নি।',
    checkAgain: 'আবার অবস্থা দেখুন',
    'unknown.now': 'পাঠানো হয়েছে, এখনো নিশ্চিত নয়: পেমেন্টটি হয়ে গিয়ে থাকতে পারে। আবার পেমেন্ট করবেন না। অবস্থা দেখা হচ্ছে…',
    'unknown.late':
      '{secs} সেকেন্ড পরেও নিশ্চিত নয়: পেমেন্টটি হয়ে গিয়ে থাকতে পারে। আবার পেমেন্ট করবেন না; একটু পরে অবস্থা দেখুন।',
    trxId: 'লেনদেন আইডি (trx_id)',
    refId: 'আপনার রেফারেন্স (ref_id)',
    paid: 'পরিমাণ',
    to: 'প্রাপক',

    bulkIntro:
      'শিরোনাম সারিসহ একটি CSV ফাইল: phone ও amount, আর চাইলে type, operator_code, sub_type ও note। কিছু পাঠানোর আগে প্রতিটি সারি যাচাই করা হয়; প্রতিটি একবারই পরিশোধ হয়, আর পেজ আবার খুললে যেখানে থেমেছিল সেখান থেকে চলে।',
    bulkLoading: 'একসাথে রিচার্জের সরঞ্জাম লোড হচ্ছে…',
    bulkLoadFailed: 'একসাথে রিচার্জের সরঞ্জাম লোড করা যায়নি।',
    bulkFile: 'CSV ফাইল',
    bulkPaste: 'অথবা CSV লেখা এখানে দিন',
    bulkPasteHint: 'যেমন: প্রথম লাইনে phone,amount, তারপর ০১৭১২৩৪৫৬৭৮,৫০',
    bulkCheck: 'সারিগুলো যাচাই করুন',
    bulkEmpty: 'আগে একটি ফাইল বেছে নিন বা CSV লেখা দিন।',
    bulkFileProblem: 'ফাইলটি ব্যবহার করা যাচ্ছে না',
    bulkResumed: 'এই কাজটি এই ব্রাউজারে সংরক্ষিত ছিল, আবার খোলা হয়েছে। নতুন কিছু পাঠানোর আগে যে সারিগুলো আগেই পাঠানো হয়েছে সেগুলো গেটওয়েতে যাচাই করা হয়: কোনোটিই দুবার পরিশোধ হয় না।',
    bulkSummary: '{total}টি সারি: {ready}টি পাঠানোর জন্য, {invalid}টিতে ভুল, {skipped}টি বাদ।',
    bulkRowsCaption: 'সারিসমূহ',
    bulkTotalsCaption: 'যা পাঠানো বাকি, অপারেটর অনুযায়ী',
    bulkNothingLeft: 'পাঠানোর কিছু বাকি নেই।',
    bulkLine: 'লাইন',
    bulkStatus: 'অবস্থা',
    bulkProblems: 'সমস্যা',
    bulkRows: 'সারি',
    bulkAll: 'সব অপারেটর',
    bulkAction: 'করণীয়',
    bulkSkip: 'লাইন {line} বাদ দিন',
    bulkInclude: 'লাইন {line} আবার যোগ করুন',
    bulkSkipShort: 'বাদ দিন',
    bulkIncludeShort: 'যোগ করুন',
    bulkSkipBad: 'ভুল থাকা সব সারি বাদ দিন',
    bulkStart: 'শুরু করুন',
    bulkResume: 'আবার চালু করুন',
    bulkPause: 'থামান',
    bulkCancel: 'কাজটি বাতিল করুন',
    bulkDownload: 'ফলাফল ডাউনলোড করুন',
    bulkNew: 'নতুন কাজ',
    bulkProgress: 'অগ্রগতি',
    bulkProgressText: '{total}টির মধ্যে {done}টি শেষ: {success}টি সফল, {failed}টি ব্যর্থ, {pending}টি প্রক্রিয়াধীন।',
    bulkEta: 'আনুমানিক {mins} মিনিট বাকি (মিনিটে {rate}টি)।',
    bulkRunning: 'পাঠানো হচ্ছে…',
    bulkPausing: 'থামানো হচ্ছে: আগে পাঠানো পেমেন্টগুলো যাচাই করা হচ্ছে…',
    bulkPaused: 'থামানো আছে।',
    bulkFinished: 'শেষ হয়েছে।',
    bulkCancelled: 'বাতিল করা হয়েছে: আর কিছু পাঠানো হবে না।',
    bulkHalted: 'কাজটি নিজে থেকে থেমেছে',
    bulkFixFirst: 'শুরু করার আগে ভুল থাকা সারিগুলো বাদ দিন বা ঠিক করুন।',
    bulkTrx: 'লেনদেন আইডি {id}',
    'field.phone': 'মোবাইল নম্বর',
    'field.amount': 'টাকার পরিমাণ',
    'field.operator_code': 'অপারেটর',
    'field.type': 'ধরন',
    'field.sub_type': 'সংযোগ',
    'field.package_id': 'প্যাকেজ',
    'field.': 'সারি',
    'state.invalid': 'ভুল আছে',
    'state.skipped': 'বাদ দেওয়া',
    'state.queued': 'প্রস্তুত',
    'state.sending': 'পাঠানো হচ্ছে',
    'state.unknown': 'যাচাই হচ্ছে',
    'state.pending': 'প্রক্রিয়াধীন',
    'state.success': 'সফল',
    'state.failed': 'ব্যর্থ',
    'state.cancelled': 'বাতিল',

    fixErrors: 'চিহ্নিত ঘরটি ঠিক করুন।',
    fixErrorsMany: 'চিহ্নিত {count}টি ঘর ঠিক করুন।',
    'err.insufficient_balance': 'ব্যালেন্স যথেষ্ট নয়',
    'err.insufficient_balance.detail':
      'এই পেমেন্টের জন্য মার্চেন্ট অ্যাকাউন্টের ব্যালেন্স কম। কোনো টাকা কাটা হয়নি।',
    'err.insufficient_balance.balance': 'বর্তমান ব্যালেন্স: {balance}।',
    'err.rate_limited': 'অনেক বেশি অনুরোধ',
    'err.rate_limited.wait': 'পেমেন্ট সেবা একটু থামতে বলেছে। {secs} সেকেন্ড পরে আবার চেষ্টা করতে পারবেন। কোনো টাকা কাটা হয়নি।',
    'err.rate_limited.soon': 'পেমেন্ট সেবা একটু থামতে বলেছে। কয়েক সেকেন্ড পরে আবার চেষ্টা করতে পারবেন। কোনো টাকা কাটা হয়নি।',
    'err.rate_limited.ready': 'এখন আবার চেষ্টা করতে পারেন। কোনো টাকা কাটা হয়নি।',
    'err.duplicate': 'আগেই ব্যবহৃত',
    'err.duplicate.detail':
      'এই অর্ডার রেফারেন্স আগেই অন্য একটি পেমেন্টে ব্যবহার হয়েছে, তাই নতুন করে কিছু কাটা হয়নি। পেমেন্টটি আবার শুরু করুন।',
    'err.network': 'সংযোগ নেই',
    'err.network.safe': 'পেমেন্ট সেবায় পৌঁছানো যায়নি। কোনো টাকা কাটা হয়নি: আবার চেষ্টা করতে পারেন।',
    'err.network.unknown':
      'সংযোগ বিচ্ছিন্ন হয়েছে, পেমেন্টটি নিশ্চিত করা যায়নি। অবস্থা না দেখে আবার পরিশোধ করবেন না (রেফারেন্স {ref})।',
    'err.repeat': 'একটু আগেই পরিশোধ করা হয়েছে',
    'repeat.pay': 'আবার পেমেন্ট করুন',
    'repeat.cancel': 'পেমেন্ট করবেন না',
    'err.unknown': 'এখনো নিশ্চিত নয়',
    'err.unknown.detail': 'পেমেন্টটি হয়ে গিয়ে থাকতে পারে। অবস্থা জানার আগে আবার পেমেন্ট করবেন না (রেফারেন্স {ref})।',
    'err.unknown.detailNoRef': 'পেমেন্টটি হয়ে গিয়ে থাকতে পারে। অবস্থা জানার আগে আবার পেমেন্ট করবেন না।',
    'err.unknown.notFound':
      'রেফারেন্স {ref} দিয়ে পেমেন্ট সেবায় এখনো কোনো পেমেন্ট নেই। আবার পাঠাতে পারেন: রেফারেন্স একই থাকবে।',
    'err.unauthorized': 'প্রবেশাধিকার নেই',
    'err.unauthorized.detail': 'পেমেন্ট সেবা এই পেজের পরিচয় গ্রহণ করেনি। টোকেন বা প্রক্সি দেখুন।',
    'err.forbidden': 'অনুমতি নেই',
    'err.forbidden.detail': 'এই মার্চেন্ট অ্যাকাউন্ট এই পেমেন্ট করতে পারে না।',
    'err.server': 'সেবায় সমস্যা',
    'err.server.detail': 'পেমেন্ট সেবায় সমস্যা হয়েছে। একটু পরে আবার চেষ্টা করুন।',
    'err.refused': 'গ্রহণ করা হয়নি',
    'err.other': 'একটি সমস্যা হয়েছে',
    'err.other.detail': 'পেমেন্টটি সম্পন্ন করা যায়নি: {message}',
    retry: 'আবার চেষ্টা করুন',
  },
};

// A transaction's own note (`trx.message`), which the gateway writes in
// English only, as a person should read it in Bangla. Errors need no such
// table: the library says each of them in Bangla itself (`messageBn`).
const SERVER_BN = {
  'Request accepted': 'অনুরোধ গ্রহণ করা হয়েছে',
  Successful: 'সফল হয়েছে',
  'Recipient not reachable': 'প্রাপকের নম্বরে পৌঁছানো যায়নি',
};

// Biller schemas carry English labels only; these are the ones the wallet uses.
const BILLER_BN = {
  Electricity: 'বিদ্যুৎ',
  Water: 'পানি',
  Gas: 'গ্যাস',
  Internet: 'ইন্টারনেট',
  DTH: 'ডিশ টিভি',
  Education: 'শিক্ষা',
  Insurance: 'বীমা',
  Other: 'অন্যান্য',
  'Bill No': 'বিল নম্বর',
  'Account No': 'অ্যাকাউন্ট নম্বর',
  'Mobile No': 'মোবাইল নম্বর',
  'Bill Type': 'বিলের ধরন',
  Zone: 'জোন',
  'Customer ID': 'গ্রাহক আইডি',
  'Policy No': 'পলিসি নম্বর',
  'Payment Token': 'পেমেন্ট টোকেন',
  Meter: 'মিটার',
  'Non Meter': 'নন-মিটার',
};

const BN_DIGITS = '০১২৩৪৫৬৭৮৯';

let current = 'en';
const listeners = new Set();

export const LANGS = ['en', 'bn'];

export function lang() {
  return current;
}

export function setLang(next) {
  if (!LANGS.includes(next) || next === current) return;
  current = next;
  document.documentElement.lang = next;
  for (const fn of [...listeners]) fn(next);
}

/** Calls `fn` after every change of language; returns the unsubscribe. */
export function onLang(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * The page's string `key`, with `{name}` placeholders filled in (numbers in
 * Bengali digits in Bangla). A value may be a message of its own (an error, `{ key, vars }`): it is said in the
 * current language, so switching languages redraws it too.
 */
export function t(key, vars = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  // A number is said in the language's digits, whenever the text is made
  // again (a language switch redraws it too).
  const said = (v) => (v !== null && typeof v === 'object' ? message(v) : typeof v === 'number' ? digits(v) : String(v));
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? said(vars[name]) : m));
}

/** ASCII digits shown as Bengali digits in Bangla. */
export function digits(text) {
  const s = String(text);
  return current === 'bn' ? s.replace(/[0-9]/g, (d) => BN_DIGITS[d]) : s;
}

/** A time as the wallet writes it ("30/11/2026 08:41 PM"), in the current language. */
export function dateTime(text) {
  const s = String(text ?? '');
  if (current !== 'bn') return s;
  return digits(s.replace(/\bAM\b/g, 'পূর্বাহ্ণ').replace(/\bPM\b/g, 'অপরাহ্ণ'));
}

/** Bengali digits read as ASCII ones (for what people type). */
export function asciiDigits(text) {
  return String(text).replace(/[০-৯]/g, (d) => String(BN_DIGITS.indexOf(d)));
}

/**
 * An exact decimal string (`"1234.5"`, `"1250.50"`) as taka: `৳1,234.50`, or
 * `৳১,২৩৪.৫০` with South Asian grouping in Bangla. No floating point.
 */
export function taka(amount) {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(amount ?? '').trim());
  if (!m) return digits(String(amount ?? ''));
  const [, sign, whole, frac = ''] = m;
  let grouped;
  if (current === 'bn' && whole.length > 3) {
    const head = whole.slice(0, -3).replace(/\B(?=(\d{2})+$)/g, ',');
    grouped = `${head},${whole.slice(-3)}`;
  } else {
    grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  }
  return digits(`${sign}৳${grouped}.${frac.padEnd(2, '0')}`);
}

/** A server's English text in the current language, when it is a known one. */
export function serverText(text) {
  if (current !== 'bn') return text;
  return SERVER_BN[String(text).trim()] ?? text;
}

/** A biller schema's English label or option in the current language. */
export function billerText(text) {
  return current === 'bn' ? (BILLER_BN[text] ?? text) : text;
}

/**
 * A message for people: an error (`message`/`messageBn`), a library field
 * error (`message`/`message_bn`), a page message (`{ key, vars }`) or plain
 * server text.
 */
export function message(m) {
  if (m == null) return '';
  if (typeof m === 'string') return serverText(m);
  if (m.key) return t(m.key, m.vars);
  if (current === 'bn') {
    const bn = m.messageBn || m.message_bn;
    if (!bn) return serverText(m.message ?? '');
    // A biller label the library does not know stays as the biller wrote it.
    return m.label ? bn.split(m.label).join(billerText(m.label)) : bn;
  }
  return m.message ?? '';
}
