/**
 * The fixed taxonomy enrichment classifies into: a subset of the Google Product Taxonomy
 * (release 2021-09-21) with its real ids, covering what outdoor, sports, home and apparel
 * shops sell. A classifier answer outside this list is a failure and is never stored.
 *
 * Keywords are lowercase word prefixes ("палат" matches палатка, палатки, палаток), English and
 * Russian, so inflected Russian feed texts match without a stemmer. Bump TAXONOMY_VERSION whenever
 * categories or keywords change: products are classified again only when it (or their content) changes.
 */

export const TAXONOMY_VERSION = 'gpt-2021-09-21+cw.1';

export interface TaxonomyCategory {
  /** The Google Product Taxonomy id, as a decimal string. */
  id: string;
  /** The full path, e.g. "Sporting Goods > Outdoor Recreation > Camping & Hiking > Tents". */
  path: string;
  keywords: readonly string[];
}

const SG = 'Sporting Goods';
const OR = `${SG} > Outdoor Recreation`;
const CH = `${OR} > Camping & Hiking`;
const CY = `${OR} > Cycling`;
const FI = `${OR} > Fishing`;
const WS = `${OR} > Winter Sports & Activities`;
const AA = 'Apparel & Accessories';
const CL = `${AA} > Clothing`;

const entries: [id: number, path: string, keywords: string[]][] = [
  [988, SG, ['sport', 'спорт']],
  [499713, `${SG} > Athletics`, ['athletic', 'атлетик']],
  [990, `${SG} > Exercise & Fitness`, ['fitness', 'workout', 'фитнес', 'тренаж', 'гантел', 'dumbbell', 'эспандер', 'коврик для йоги', 'yoga mat']],
  [499844, `${OR} > Winter Sports & Activities`, ['winter sport', 'зимн']],
  [1011, OR, ['outdoor', 'туризм', 'туристич', 'активный отдых']],
  [1013, CH, ['camping', 'hiking', 'кемпинг', 'поход', 'турист']],
  [1014, `${CH} > Camp Furniture`, ['camp chair', 'camping chair', 'camp table', 'складн стул', 'складн кресл', 'туристическ стол', 'кресло складн', 'стул складн', 'стол складн']],
  [3695, `${CH} > Camp Furniture > Air Mattresses`, ['air mattress', 'air bed', 'надувн матрас', 'матрас надувн']],
  [3089, `${CH} > Camp Furniture > Cots`, ['cot', 'раскладушк']],
  [1016, `${CH} > Camping Cookware & Dinnerware`, ['camp cookware', 'camping pot', 'mess kit', 'котел', 'котелок', 'котелк', 'туристическ посуд', 'горелк', 'stove', 'burner', 'примус']],
  [1019, `${CH} > Camping Lights & Lanterns`, ['lantern', 'headlamp', 'фонар', 'налобн', 'кемпингов фонар']],
  [3937, `${CH} > Camping Tools`, ['camping tool', 'туристическ топор', 'hatchet', 'топор', 'пила складн', 'лопат складн']],
  [3495, `${CH} > Camping Tools > Hunting & Survival Knives`, ['survival knife', 'hunting knife', 'нож', 'ножи']],
  [4095, `${CH} > Camping Tools > Multifunction Tools & Knives`, ['multitool', 'multi-tool', 'мультитул', 'мультиинструмент']],
  [3508, `${CH} > Chemical Hand Warmers`, ['hand warmer', 'грелк для рук', 'химическ грелк']],
  [5636, `${CH} > Compression Sacks`, ['compression sack', 'компрессионн мешок', 'компрессионн мешк', 'гермомешок', 'гермомешк', 'dry bag']],
  [3738, `${CH} > Hiking Poles`, ['trekking pole', 'hiking pole', 'треккингов палк', 'палки для скандинавск', 'nordic walking']],
  [3538, `${CH} > Mosquito Nets & Insect Screens`, ['mosquito net', 'москитн сетк', 'антимоскитн']],
  [4785, `${CH} > Navigational Compasses`, ['compass', 'компас']],
  [502993, `${CH} > Portable Toilets & Showers`, ['portable toilet', 'camp shower', 'биотуалет', 'туалет туристическ', 'походн душ']],
  [1023, `${CH} > Portable Water Filters & Purifiers`, ['water filter', 'water purifier', 'фильтр для воды', 'фильтр для очистк', 'очистител воды']],
  [5881, `${CH} > Sleeping Bag Liners`, ['sleeping bag liner', 'вкладыш в спальн', 'вкладыш для спальн']],
  [1020, `${CH} > Sleeping Bags`, ['sleeping bag', 'спальн мешок', 'спальн мешк', 'спальник', 'спальнике', 'спальники']],
  [1021, `${CH} > Sleeping Pads`, ['sleeping pad', 'sleeping mat', 'каремат', 'туристическ коврик', 'коврик туристическ', 'самонадувающ', 'пенк']],
  [5655, `${CH} > Tent Accessories`, ['tent accessor', 'аксессуар для палат']],
  [5656, `${CH} > Tent Accessories > Tent Footprints`, ['tent footprint', 'footprint', 'пол для палат', 'футпринт']],
  [5658, `${CH} > Tent Accessories > Tent Poles & Stakes`, ['tent stake', 'tent peg', 'tent pole', 'колыш', 'дуги для палат', 'дуга для палат']],
  [5657, `${CH} > Tent Accessories > Tent Vestibules`, ['vestibule', 'тамбур']],
  [1022, `${CH} > Tents`, ['tent', 'палат', 'шатер', 'шатр', 'тент']],
  [8079, `${CH} > Windbreaks`, ['windbreak', 'ветрозащит']],
  [7059, `${OR} > Climbing`, ['climbing', 'альпинизм', 'скалолаз']],
  [3746, `${OR} > Climbing > Carabiners`, ['carabiner', 'карабин']],
  [3314, `${OR} > Climbing > Climbing Apparel & Accessories > Climbing Helmets`, ['climbing helmet', 'альпинистск каск', 'каска']],
  [5394, `${OR} > Climbing > Climbing Apparel & Accessories > Crampons`, ['crampon', 'кошки альпинистск', 'ледоступ']],
  [3218, `${OR} > Climbing > Climbing Harnesses`, ['climbing harness', 'страховочн систем', 'беседк альпинистск']],
  [3825, `${OR} > Climbing > Climbing Rope`, ['climbing rope', 'веревк', 'верёвк', 'репшнур', 'статическ', 'динамическ верев']],
  [1025, CY, ['cycling', 'велоспорт']],
  [3214, `${CY} > Bicycle Accessories`, ['bicycle accessor', 'bike accessor', 'велоаксессуар']],
  [1027, `${CY} > Bicycle Accessories > Bicycle Locks`, ['bike lock', 'bicycle lock', 'велозамок', 'замок для велосипед']],
  [3827, `${CY} > Bicycle Accessories > Bicycle Pumps`, ['bike pump', 'bicycle pump', 'велонасос', 'насос для велосипед']],
  [3243, `${CY} > Bicycle Accessories > Bicycle Computers`, ['bike computer', 'cycle computer', 'велокомпьютер']],
  [3778, `${CY} > Bicycle Accessories > Bicycle Bags & Panniers`, ['pannier', 'bike bag', 'велосумк', 'штаны на багажник']],
  [3618, `${CY} > Bicycle Parts`, ['bicycle part', 'запчаст для велосипед', 'велозапчаст']],
  [4571, `${CY} > Bicycle Parts > Bicycle Tires`, ['bicycle tire', 'bike tyre', 'велопокрышк', 'покрышк']],
  [4572, `${CY} > Bicycle Parts > Bicycle Tubes`, ['bicycle tube', 'inner tube', 'велокамер']],
  [1026, `${CY} > Bicycles`, ['bicycle', 'bike', 'велосипед']],
  [1029, `${CY} > Cycling Apparel & Accessories > Bicycle Helmets`, ['bike helmet', 'bicycle helmet', 'cycling helmet', 'велошлем']],
  [3246, `${CY} > Cycling Apparel & Accessories > Bicycle Gloves`, ['cycling glove', 'велоперчатк']],
  [3334, FI, ['fishing', 'рыбалк', 'рыболов']],
  [1037, `${FI} > Fishing Lines & Leaders`, ['fishing line', 'леск', 'шнур плетен', 'плетенк', 'поводок', 'поводк']],
  [3614, `${FI} > Fishing Nets`, ['landing net', 'fishing net', 'подсак']],
  [4926, `${FI} > Fishing Reels`, ['fishing reel', 'reel', 'катушк']],
  [4927, `${FI} > Fishing Rods`, ['fishing rod', 'rod', 'удилищ', 'удочк', 'спиннинг', 'фидер']],
  [3603, `${FI} > Fishing Tackle > Fishing Baits & Lures`, ['lure', 'bait', 'воблер', 'блесн', 'приманк', 'силиконов приман']],
  [3859, `${FI} > Fishing Tackle > Fishing Floats`, ['fishing float', 'bobber', 'поплав']],
  [3359, `${FI} > Fishing Tackle > Fishing Hooks`, ['fishing hook', 'крючок', 'крючк', 'крючки']],
  [1041, `${FI} > Tackle Bags & Boxes`, ['tackle box', 'tackle bag', 'ящик рыболов', 'коробк для снаст']],
  [499824, `${OR} > Hunting & Shooting`, ['hunting', 'охот']],
  [1033, `${OR} > Hunting & Shooting > Archery`, ['archery', 'bow', 'arrow', 'лук спортивн', 'стрельб из лук', 'арбалет', 'стрел']],
  [499845, `${WS} > Skiing & Snowboarding`, ['skiing', 'snowboarding', 'горнолыж', 'лыжн']],
  [3550, `${WS} > Skiing & Snowboarding > Ski & Snowboard Goggles`, ['ski goggle', 'горнолыжн маск', 'маска горнолыжн']],
  [1161, `${WS} > Skiing & Snowboarding > Ski & Snowboard Helmets`, ['ski helmet', 'горнолыжн шлем']],
  [6062, `${WS} > Skiing & Snowboarding > Ski Boots`, ['ski boot', 'лыжн ботин', 'горнолыжн ботин']],
  [1157, `${WS} > Skiing & Snowboarding > Ski Poles`, ['ski pole', 'лыжн палк']],
  [6064, `${WS} > Skiing & Snowboarding > Skis`, ['skis', 'ski', 'лыжи', 'лыж']],
  [1164, `${WS} > Skiing & Snowboarding > Snowboards`, ['snowboard', 'сноуборд']],
  [7539, `${WS} > Sleds`, ['sled', 'sledge', 'санки', 'санк', 'ледянк', 'тюбинг', 'ватрушк']],
  [3064, `${WS} > Snowshoeing > Snowshoes`, ['snowshoe', 'снегоступ']],
  [1059, `${OR} > Skateboarding > Skateboards`, ['skateboard', 'скейтборд', 'скейт', 'лонгборд']],
  [166, AA, ['apparel', 'accessor', 'одежд']],
  [1604, CL, ['clothing', 'clothes', 'одежд']],
  [5322, `${CL} > Activewear`, ['activewear', 'sportswear', 'спортивн одежд', 'термобель', 'base layer']],
  [203, `${CL} > Outerwear`, ['outerwear', 'верхн одежд']],
  [5598, `${CL} > Outerwear > Coats & Jackets`, ['jacket', 'coat', 'parka', 'куртк', 'пуховик', 'ветровк', 'анорак', 'пальто', 'парка', 'софтшелл']],
  [5514, `${CL} > Outerwear > Rain Pants`, ['rain pants', 'штормов брюк', 'дождев брюк']],
  [3066, `${CL} > Outerwear > Rain Suits`, ['rain suit', 'дождевик', 'плащ', 'пончо']],
  [5909, `${CL} > Outerwear > Snow Pants & Suits`, ['snow pants', 'ski pants', 'горнолыжн брюк', 'горнолыжн костюм', 'полукомбинезон']],
  [1831, `${CL} > Outerwear > Vests`, ['vest', 'gilet', 'жилет', 'безрукав']],
  [204, `${CL} > Pants`, ['pants', 'trousers', 'брюки', 'брюк', 'штаны', 'штан']],
  [212, `${CL} > Shirts & Tops`, ['shirt', 't-shirt', 'top', 'футболк', 'рубашк', 'лонгслив', 'толстовк', 'худи', 'hoodie', 'свитер', 'флисов кофт', 'кофт']],
  [207, `${CL} > Shorts`, ['shorts', 'шорт']],
  [211, `${CL} > Swimwear`, ['swimwear', 'swimsuit', 'купальник', 'плавк']],
  [2271, `${CL} > Dresses`, ['dress', 'плать']],
  [187, `${AA} > Shoes`, ['shoe', 'boot', 'sneaker', 'обув', 'ботин', 'кроссовк', 'сапог', 'кеды', 'сандали', 'трекингов ботин']],
  [173, `${AA} > Clothing Accessories > Hats`, ['hat', 'cap', 'beanie', 'шапк', 'кепк', 'панам', 'бейсболк']],
  [170, `${AA} > Clothing Accessories > Gloves & Mittens`, ['glove', 'mitten', 'перчатк', 'варежк', 'рукавиц']],
  [110, 'Luggage & Bags', ['luggage', 'bag', 'сумк', 'чемодан']],
  [100, 'Luggage & Bags > Backpacks', ['backpack', 'rucksack', 'рюкзак']],
  [222, 'Electronics', ['electronic', 'электрон']],
  [267, 'Electronics > Communications > Telephony > Mobile Phones', ['mobile phone', 'smartphone', 'смартфон', 'мобильн телефон']],
  [4745, 'Electronics > Computers > Tablet Computers', ['tablet', 'планшет']],
  [536, 'Home & Garden', ['home', 'garden', 'для дома', 'сад']],
  [638, 'Home & Garden > Kitchen & Dining', ['kitchen', 'кухон', 'посуд', 'термос', 'thermos', 'кружк', 'mug']],
  [594, 'Home & Garden > Lighting', ['lamp', 'лампа', 'светильник']],
];

export const TAXONOMY: readonly TaxonomyCategory[] = entries.map(([id, path, keywords]) => ({ id: String(id), path, keywords }));

const byId = new Map(TAXONOMY.map((category) => [category.id, category]));

/** The category with this id, or undefined when the id is not in the taxonomy. */
export function taxonomyCategory(id: string): TaxonomyCategory | undefined {
  return byId.get(id);
}

/** How deep a category sits (Sporting Goods = 1); a deeper match is more specific. */
export function categoryDepth(category: TaxonomyCategory): number {
  return category.path.split(' > ').length;
}
