// Word lists for the synthetic population: name regions with their countries, organisations,
// agencies, occupations. Common names only, so that no generated person stands out as a real one.

export interface Country {
  code: string;
  /** International dialling code, for E.164 phone numbers. */
  dial: string;
  name: string;
}

export interface NameRegion {
  /** Share of the population drawn from this region. */
  weight: number;
  countries: readonly Country[];
  /** Family name first in the legal name (as in China, Japan, Korea). */
  familyFirst: boolean;
  female: readonly string[];
  male: readonly string[];
  family: readonly string[];
}

const words = (text: string) => text.trim().split(/\s+/);
const country = (code: string, dial: string, name: string): Country => ({ code, dial, name });

export const nameRegions: readonly NameRegion[] = [
  {
    weight: 22,
    countries: [
      country('US', '1', 'United States'),
      country('GB', '44', 'United Kingdom'),
      country('CA', '1', 'Canada'),
      country('AU', '61', 'Australia'),
      country('IE', '353', 'Ireland'),
      country('NZ', '64', 'New Zealand'),
    ],
    familyFirst: false,
    female: words(
      'Emma Olivia Ava Sophie Grace Chloe Emily Hannah Lily Amelia Ruby Isla Mia Zoe Ella Jessica',
    ),
    male: words(
      'James Oliver Jack Harry Noah William Thomas George Liam Ethan Samuel Daniel Ryan Lucas Owen',
    ),
    family: words(
      'Smith Johnson Williams Brown Jones Taylor Wilson Davies Evans Walker Wright Thompson Robinson ' +
        'Hughes Clarke Murphy Kelly Campbell Stewart Anderson Mitchell Cooper Baker Turner Hill',
    ),
  },
  {
    weight: 14,
    countries: [
      country('ES', '34', 'Spain'),
      country('MX', '52', 'Mexico'),
      country('AR', '54', 'Argentina'),
      country('CO', '57', 'Colombia'),
      country('CL', '56', 'Chile'),
      country('PE', '51', 'Peru'),
    ],
    familyFirst: false,
    female: words('María Lucía Sofía Valentina Camila Isabella Carmen Paula Daniela Elena Ana Martina Julia'),
    male: words('José Juan Carlos Mateo Santiago Diego Javier Alejandro Miguel Pablo Andrés Luis Sergio'),
    family: words(
      'García Rodríguez Martínez López González Hernández Pérez Sánchez Ramírez Torres Flores Rivera ' +
        'Gómez Díaz Morales Castillo Romero Vargas Ortiz Silva',
    ),
  },
  {
    weight: 8,
    countries: [country('BR', '55', 'Brazil'), country('PT', '351', 'Portugal')],
    familyFirst: false,
    female: words('Ana Beatriz Mariana Larissa Gabriela Juliana Letícia Fernanda Inês Rafaela'),
    male: words('João Pedro Lucas Gabriel Rafael Felipe Gustavo Tiago Bruno Rodrigo Vinícius'),
    family: words('Silva Santos Oliveira Souza Pereira Costa Ferreira Almeida Carvalho Ribeiro Gomes Lima'),
  },
  {
    weight: 7,
    countries: [
      country('FR', '33', 'France'),
      country('BE', '32', 'Belgium'),
      country('CH', '41', 'Switzerland'),
      country('SN', '221', 'Senegal'),
    ],
    familyFirst: false,
    female: words('Camille Léa Manon Chloé Inès Sarah Jeanne Louise Juliette Clara Élodie'),
    male: words('Louis Hugo Lucas Gabriel Arthur Jules Théo Nathan Antoine Mathis Étienne'),
    family: words(
      'Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Lefebvre Fournier Diop',
    ),
  },
  {
    weight: 9,
    countries: [
      country('DE', '49', 'Germany'),
      country('AT', '43', 'Austria'),
      country('NL', '31', 'Netherlands'),
      country('SE', '46', 'Sweden'),
      country('NO', '47', 'Norway'),
      country('DK', '45', 'Denmark'),
    ],
    familyFirst: false,
    female: words('Anna Lena Marie Sophie Laura Lea Hanna Emma Sanne Ingrid Freya Astrid Elin'),
    male: words('Lukas Jonas Leon Finn Paul Felix Max Jan Daan Lars Erik Magnus Sven'),
    family: words(
      'Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann de Jong Jansen ' +
        'Bakker Andersson Johansson Hansen Nielsen Larsen',
    ),
  },
  {
    weight: 11,
    countries: [
      country('CN', '86', 'China'),
      country('TW', '886', 'Taiwan'),
      country('SG', '65', 'Singapore'),
    ],
    familyFirst: true,
    female: words('Fang Jing Li Min Xiu Yan Ying Hui Mei Xin Yu Ting'),
    male: words('Wei Hao Jun Lei Ming Qiang Tao Jian Bo Peng Yong Chen'),
    family: words('Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin He'),
  },
  {
    weight: 5,
    countries: [country('JP', '81', 'Japan')],
    familyFirst: true,
    female: words('Yui Aoi Hina Sakura Yuna Mei Rin Haruka Misaki Nanami'),
    male: words('Haruto Ren Sota Yuto Hiroshi Takumi Kenta Daiki Riku Shota'),
    family: words('Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida'),
  },
  {
    weight: 4,
    countries: [country('KR', '82', 'South Korea')],
    familyFirst: true,
    female: words('Seo-yeon Ji-woo Min-ji Soo-ah Ha-eun Ye-jin Yu-na Da-eun'),
    male: words('Min-jun Seo-jun Do-yun Ji-ho Ha-jun Joon-woo Hyun-woo Sung-min'),
    family: words('Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Shin'),
  },
  {
    weight: 9,
    countries: [
      country('IN', '91', 'India'),
      country('PK', '92', 'Pakistan'),
      country('BD', '880', 'Bangladesh'),
      country('LK', '94', 'Sri Lanka'),
    ],
    familyFirst: false,
    female: words('Priya Ananya Aisha Diya Kavya Sana Fatima Meera Nisha Pooja Riya Shreya'),
    male: words('Aarav Arjun Rahul Vikram Rohan Imran Ali Karan Aditya Sanjay Vivek Farhan'),
    family: words('Sharma Patel Singh Kumar Gupta Khan Reddy Iyer Das Mehta Chowdhury Perera Nair Joshi'),
  },
  {
    weight: 6,
    countries: [
      country('EG', '20', 'Egypt'),
      country('SA', '966', 'Saudi Arabia'),
      country('AE', '971', 'United Arab Emirates'),
      country('MA', '212', 'Morocco'),
      country('JO', '962', 'Jordan'),
    ],
    familyFirst: false,
    female: words('Fatima Mariam Nour Layla Yasmin Salma Huda Amira Rania Zainab'),
    male: words('Mohamed Ahmed Omar Youssef Khaled Hassan Karim Tarek Ibrahim Mahmoud'),
    family: words('Hassan Ali Mahmoud Ibrahim Mansour Haddad Khalil Nasser Saleh Aziz El-Amin Farouk'),
  },
  {
    weight: 5,
    countries: [
      country('PL', '48', 'Poland'),
      country('CZ', '420', 'Czechia'),
      country('UA', '380', 'Ukraine'),
      country('SK', '421', 'Slovakia'),
    ],
    familyFirst: false,
    female: words('Anna Zofia Katarzyna Olena Tereza Natalia Maria Ewa Iryna Petra'),
    male: words('Jakub Piotr Tomasz Andrii Jan Michal Oleksandr Pavel Marek Dmytro'),
    family: words('Nowak Kowalski Wiśniewski Novák Svoboda Shevchenko Kovalenko Dvořák Zieliński Bondarenko'),
  },
  {
    weight: 5,
    countries: [
      country('NG', '234', 'Nigeria'),
      country('GH', '233', 'Ghana'),
      country('KE', '254', 'Kenya'),
    ],
    familyFirst: false,
    female: words('Chiamaka Ngozi Amara Abena Akosua Wanjiru Aisha Funmilayo Efua Njeri'),
    male: words('Chinedu Emeka Kwame Kofi Tunde Oluwaseun Kamau Otieno Yaw Ibrahim'),
    family: words('Okafor Adeyemi Mensah Owusu Boateng Kamau Otieno Mwangi Okonkwo Balogun Asante'),
  },
  {
    weight: 3,
    countries: [country('IT', '39', 'Italy')],
    familyFirst: false,
    female: words('Giulia Francesca Chiara Martina Sara Alessia Elisa Federica'),
    male: words('Marco Luca Matteo Alessandro Lorenzo Davide Andrea Giuseppe'),
    family: words('Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno'),
  },
  {
    weight: 3,
    countries: [country('TR', '90', 'Türkiye')],
    familyFirst: false,
    female: words('Zeynep Elif Ayşe Defne Ecrin Merve Esra Selin'),
    male: words('Mehmet Mustafa Emre Burak Can Yusuf Kerem Murat'),
    family: words('Yılmaz Kaya Demir Şahin Çelik Yıldız Aydın Öztürk Arslan Doğan'),
  },
];

export const organisationPrefixes = words(
  'Blue Northern Silver Bright Nova Green Urban Pixel Quantum Summit Harbor Cedar Atlas Polar Vertex Orbit ' +
    'Crimson Golden Iron Lumen Meridian Pioneer Coastal Open Prime',
);
export const organisationNouns = words(
  'Ventures Trading Studios Labs Systems Logistics Media Games Realty Foods Textiles Analytics Networks ' +
    'Energy Partners Robotics Holdings Commerce Design Payments Travel Insurance Security Events',
);
/** Legal-form suffixes by jurisdiction; the rest use "Ltd". */
export const legalForms: Readonly<Record<string, readonly string[]>> = {
  US: ['Inc.', 'LLC', 'Corp.'],
  GB: ['Ltd', 'PLC', 'LLP'],
  DE: ['GmbH', 'AG'],
  AT: ['GmbH'],
  CH: ['AG', 'SA'],
  FR: ['SAS', 'SA', 'SARL'],
  ES: ['S.L.', 'S.A.'],
  MX: ['S.A. de C.V.'],
  BR: ['Ltda.', 'S.A.'],
  IT: ['S.r.l.', 'S.p.A.'],
  NL: ['B.V.', 'N.V.'],
  SE: ['AB'],
  JP: ['K.K.', 'G.K.'],
  CN: ['Co., Ltd.'],
  KR: ['Co., Ltd.'],
  IN: ['Pvt. Ltd.', 'Ltd.'],
  AU: ['Pty Ltd'],
  PL: ['Sp. z o.o.', 'S.A.'],
};
/** US organisations register in a state (ISO 3166-2). */
export const usStates = ['US-DE', 'US-CA', 'US-NY', 'US-TX', 'US-WA', 'US-FL'];

export const agencyKinds = (
  'National Police|Cybercrime Unit|Data Protection Authority|Consumer Protection Agency|' +
  'Financial Conduct Authority|Digital Services Coordinator|Civil Aviation Authority|Tax Administration|' +
  'Customs Service|Election Commission'
).split('|');

export const occupations = words(
  'Student Teacher Nurse Engineer Developer Designer Streamer Accountant Driver Chef Retailer Artist ' +
    'Musician Researcher Lawyer Electrician Farmer Pharmacist Translator Photographer Consultant Mechanic',
);
export const workTitles = words('Junior Senior Lead Principal Assistant Head Chief Associate');
export const socialNetworks = ['mastodon', 'bluesky', 'github', 'discord', 'steam', 'twitch'] as const;

/** Handle stems for avatars that are not named after the person. */
export const handleAdjectives = words(
  'silent swift lucky cosmic neon shadow frost amber wild quiet brave lazy pixel retro solar lunar',
);
export const handleNouns = words(
  'fox owl tiger wolf panda raven comet nomad ghost knight falcon otter ninja wizard pilot rider sparrow',
);
