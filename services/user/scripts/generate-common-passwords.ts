// Regenerates data/common-passwords.txt: `node --import tsx scripts/generate-common-passwords.ts`.
// The list is built from well-known leaked-password patterns (popular words, names, keyboard
// walks, digit runs, Indonesian favourites) combined with the suffixes people add to reach a
// length rule. No download: reproducible from this file alone. Only entries of 8+ characters are
// kept, because shorter ones already fail the length rule; all are lower case (the check folds case).
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const words = `password passw0rd p@ssword p@ssw0rd pass admin administrator root qwerty qwertyuiop asdfgh
asdfghjkl zxcvbnm zxcvbn qazwsx qweasd qweasdzxc 1qaz2wsx 1q2w3e4r 1q2w3e4r5t 1q2w3e zaq12wsx
letmein welcome welcome1 monkey dragon master shadow sunshine princess football baseball soccer
basketball hockey iloveyou trustno1 superman batman spiderman starwars pokemon naruto michael
jennifer jordan hunter ranger buster thomas tigger robert charlie andrew daniel george harley
hello hello123 freedom whatever qwerty123 computer internet secret login access flower
summer winter spring autumn love lovely loveme lover cookie chocolate cheese banana orange apple
pepper ginger maggie bailey sophie jessica ashley amanda nicole michelle samsung iphone google
facebook youtube twitter instagram linkedin microsoft windows linux ubuntu oracle mysql
changeme default guest test tester testing user username qwer asdf zxcv abc abcd abcdef
abcdefg abcdefgh abc123 a1b2c3 a1b2c3d4 aa123456 aaaaaa matrix killer mustang corvette
ferrari porsche mercedes toyota honda yamaha suzuki kawasaki liverpool chelsea arsenal
manchester barcelona realmadrid juventus madrid london paris berlin tokyo newyork
jakarta bandung surabaya medan semarang yogyakarta jogja makassar bali denpasar bogor depok
bekasi tangerang malang solo palembang indonesia indonesian garuda merdeka pancasila
bismillah alhamdulillah subhanallah assalamualaikum allahuakbar insyaallah sayang sayangku
sayangkamu cinta cintaku cintakamu akucintakamu akusayangkamu rahasia rahasiaku katasandi
sandi kucing anjing kelinci doraemon upin ipin persib persija arema bonek vikings jakmania
tokopedia bukalapak shopee lazada blibli gojek grab toko tokoku belanja jualan penjual
pembeli mama papa ayah ibu bunda kakak adik keluarga rumah sekolah kampus kuliah bebas
ganteng cantik manis imut lucu keren mantap sukses semangat bahagia selamat terserah
rahasiadong admin123 administrator1 putri dewi sri agus budi andi rizki rizky fajar dian
wahyu eko joko bambang siti nur nurul muhammad ahmad abdul rahmat hidayat indah ayu
angel angels baby babygirl babyboy family friends forever blessed jesus christ god
heaven money dollar rupiah gold silver diamond star stars moon sun sky blue red green black
white purple pink yellow orange silverado tiger lion eagle falcon wolf bear panda dolphin
shark snake horse unicorn phoenix ninja samurai pirate wizard legend hero king queen prince
princesa boss chief captain player gamer games mobile legends pubg freefire valorant dota
minecraft fortnite roblox steam xbox playstation nintendo zelda mario sonic`;

const seeds = [...new Set(words.split(/\s+/).filter(Boolean))];

const suffixes = [
  "",
  "1",
  "12",
  "123",
  "1234",
  "12345",
  "123456",
  "1234567",
  "12345678",
  "321",
  "!",
  "!!",
  "1!",
  "123!",
  "@123",
  "#1",
  "01",
  "007",
  "69",
  "88",
  "99",
  "00",
  "11",
  "13",
  "22",
  "77",
  "666",
  "777",
  "999",
  "2000",
  "2010",
  "2015",
  "2016",
  "2017",
  "2018",
  "2019",
  "2020",
  "2021",
  "2022",
  "2023",
  "2024",
  "2025",
  "2026",
];

const digitRuns = [
  "12345678",
  "123456789",
  "1234567890",
  "0123456789",
  "87654321",
  "987654321",
  "9876543210",
  "11111111",
  "00000000",
  "12121212",
  "11223344",
  "12341234",
  "123123123",
  "147258369",
  "159753",
  "1234qwer",
  "qwer1234",
  "asdf1234",
  "zxcv1234",
  "1qazxsw2",
  "zaq1xsw2",
  "q1w2e3r4",
  "q1w2e3r4t5",
  "1a2b3c4d",
  "a1s2d3f4",
  "password1",
  "123qwe123",
  "qwe123qwe",
  "asd123asd",
];
for (let d = 0; d <= 9; d++) digitRuns.push(String(d).repeat(8), String(d).repeat(9), String(d).repeat(10));
for (let year = 1950; year <= 2026; year++) {
  for (const word of ["", "love", "cinta", "sayang", "indonesia", "jakarta"])
    digitRuns.push(`${word}${year}`);
}
// Dates people use: ddmmyyyy for common birthdays in recent decades, sampled on the 1st and 17th.
for (let year = 1970; year <= 2010; year++) {
  for (let month = 1; month <= 12; month++) {
    for (const day of [1, 17]) {
      digitRuns.push(`${String(day).padStart(2, "0")}${String(month).padStart(2, "0")}${year}`);
    }
  }
}

const leet = (w: string): string =>
  w.replace(/a/g, "@").replace(/o/g, "0").replace(/e/g, "3").replace(/i/g, "1").replace(/s/g, "$");

const out = new Set<string>();
const add = (candidate: string): void => {
  const c = candidate.toLowerCase();
  if (c.length >= 8 && c.length <= 128) out.add(c);
};
for (const seed of seeds) {
  for (const suffix of suffixes) {
    add(seed + suffix);
  }
  for (const suffix of ["", "1", "123", "!"]) add(leet(seed) + suffix);
  add(seed + seed);
}
for (const run of digitRuns) add(run);

const file = join(import.meta.dirname, "..", "data", "common-passwords.txt");
writeFileSync(file, `${[...out].sort().join("\n")}\n`);
