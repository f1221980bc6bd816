/**
 * The top-level domains that make a dotted name a host name, shared by defanging (src/intel/defang.ts) and by
 * IOC extraction, so the two always agree on what a domain is.
 *
 * Not the full root zone, on purpose: the root zone holds ~1,450 names and many are everyday words and
 * identifiers (`.run`, `.watch`, `.call`, `.map`, `.new`, `.read`, `.save`) that turn code and log text
 * (`subprocess.run`, `fs.watch`) into fake domains. The list below is every country code plus the generic
 * TLDs that show up in alerts and threat reports, including the ones most abused for phishing and malware
 * (Spamhaus and Interisle rankings: .top, .xyz, .shop, .sbs, .cfd, .bond, .cyou, .icu, .click, .lol …).
 */

/** Generic, sponsored and brand TLDs seen in real alerts and threat reports. */
const GENERIC_TLDS = `
  com net org info biz edu gov mil int mobi name pro asia tel jobs travel aero coop museum cat xxx arpa
  app dev page xyz top online site club shop store live icu vip work tech space website fun buzz cloud
  link click download zip mov cyou rest bar monster win bid loan stream email support help services
  solutions digital network systems media news today world life global one pub blog agency company
  center group inc ltd llc bond sbs cfd quest lol best host press wiki ink fyi men date review racing
  party trade science webcam accountant cricket faith finance money credit bank security

  mom beauty hair makeup skin boats yachts autos homes christmas cam casa guru ninja rocks social tools
  uno kim ooo lat red blue pink black gold fit cool zone city town games chat love bet casino poker sex
  porn adult dating photo pics video ren xin wang tokyo berlin london nyc paris gmbh swiss africa lgbt
  golf ski surf fish dog pet energy solar farm pizza coffee bio eco realty rentals estate properties
  academy education institute university school college training capital ventures holdings partners
  exchange markets trading investments insure cash claims lawyer law health clinic dental doctor software
  technology consulting marketing engineer expert limited management photography productions reviews
  supply domains hosting gratis sucks wtf tattoo toys vacations villas vision voyage codes design studio
  care green land house food guide tips team tax legal fund earth gdn

  microsoft windows office azure xbox bing skype google amazon apple onion
`;

/** Every delegated two-letter country-code TLD, and the Punycode form of .рф (Russia). */
const COUNTRY_TLDS = `
  ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br bs bt bw
  by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg er es et
  eu fi fj fk fm fo fr ga gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie
  il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv
  ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr
  nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sk sl
  sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz
  va vc ve vg vi vn vu wf ws ye yt za zm zw xn--p1ai
`;

/**
 * The RFC 2606 reserved names, because demo data and documentation use them (`evil.example`) and
 * they must look exactly like production output. Internal suffixes (.local, .internal, .lan, .corp)
 * are left out on purpose: AD host names such as `dc01.contoso.local` fill alerts, cannot be reached
 * from the internet, and analysts read them more easily as they are.
 */
const RESERVED_TLDS = 'example test invalid';

export const KNOWN_TLDS: ReadonlySet<string> = new Set(
  `${GENERIC_TLDS} ${COUNTRY_TLDS} ${RESERVED_TLDS}`.split(/\s+/).filter(Boolean),
);

/**
 * TLDs that are also everyday file extensions. `setup.py`, `invoice.zip`, `install.sh`, `README.md`
 * are far more common in alerts than bare domains on these TLDs, so a name ending in one of them is
 * treated as a domain only with stronger evidence: a scheme (the URL owns it), an `@` (the e-mail owns
 * it), a `www.` prefix, or at least three labels (`dl.evil.zip`) none of which is purely numeric (so
 * `backup.2024.zip` stays a file) — and never when it sits in a path (`/tmp/a.b.sh`, `C:\x\a.b.py`).
 * The cost is that a bare `evil.zip` is not a domain; it is not a link in Teams without a scheme or www.
 * Pure extensions that are not TLDs at all (.exe, .dll, .ps1, .js, .pdf, .docx…) never match.
 */
export const FILE_EXTENSION_TLDS: ReadonlySet<string> = new Set(
  'ai app cat do md mov one pl pm ps pub py rs sh so tf zip'.split(' '),
);

/** The last label of a dotted name, lower-case. */
export function topLevelDomain(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1).toLowerCase();
}

export function isKnownTld(tld: string): boolean {
  return KNOWN_TLDS.has(tld.toLowerCase());
}

/**
 * Whether a bare dotted name (no scheme, no `@` around it) reads as a host name rather than a file name:
 * a known TLD, and for TLDs that double as file extensions the stronger evidence described above.
 * `precededByPath` says whether a `/` or `\` sits right before the name.
 */
export function isHostNameRatherThanFileName(name: string, precededByPath: boolean): boolean {
  const tld = topLevelDomain(name);
  if (!KNOWN_TLDS.has(tld)) return false;
  if (!FILE_EXTENSION_TLDS.has(tld)) return true;
  const labels = name.split('.');
  if (labels[0].toLowerCase() === 'www') return true;
  const hostLike = labels.length >= 3 && labels.every((label) => !/^\d+$/.test(label));
  return hostLike && !precededByPath;
}
