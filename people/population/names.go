package population

// Name pools of the synthetic population, one per community, each list
// most common first (drawn with Zipf-like weights). A "|" separates
// spellings of one name: the first is the usual one; a person is given
// one spelling at birth and officers sometimes write another (the
// transliteration and spelling variants the matcher must see through).
//
// These lists are the generator's own and were written apart from the
// matcher's nickname table (people/nicknames.txt): where officers' short
// forms below are missing from that table, the matcher is meant to miss
// them and ask a supervisor.

type culture struct {
	name           string
	weight         float64
	male, female   []string
	family         []string
	gendered       bool // family names take a feminine form (-ski/-ska, -ov/-ova)
	swapProneNames bool // given and family names often recorded the other way round
	// givenS and familyS are the Zipf exponents of the lists (higher:
	// the first names commoner); listShare is how often a family name
	// comes from the list rather than the long tail of rarer names made
	// from tailHead+tailEnd (most surnames are rare: in England the
	// hundred commonest are carried by about a fifth of people).
	givenS, familyS   float64
	listShare         float64
	tailHead, tailEnd []string
}

var cultures = []*culture{
	{
		name: "british", weight: 0.60, givenS: 0.5, familyS: 0.7, listShare: 0.25,
		tailHead: split(`Ash Black Brad Brook Cal Cart Chad Craw Dal Dun Fair Fern Gold Green Hal Har Hart Hay
			Hol Hun Kings Lang Lin Mar Mid Mor New Nor Oak Pen Red Rich Ros Rush Shel Sher Stan Stock Stone Thorn
			Tre Wal War Wes Whit Win Wood Wy Bur Cran`),
		tailEnd: split(`ley ton wood field ford by well more worth ham stead wick bury combe den don er ing ridge
			shaw son ston thorpe way`),
		male: split(`Oliver George Harry Jack Jacob Noah Charlie Thomas Oscar William James Leo Alfie Henry
			Joshua Freddie Archie Ethan Isaac Alexander Joseph Edward Samuel Max Daniel Arthur Lucas Mason
			Theo Logan Tyler Harrison Dylan Riley Finley Adam Lewis|Louis Callum Liam Connor Ryan Kyle Jordan
			Nathan Matthew Luke Benjamin Michael David John Robert Paul Mark Andrew Stephen|Steven Richard
			Christopher Peter Gary Darren Lee Craig Dean Wayne Jamie Aaron Kieran Reece|Rhys Jayden|Jaden|Jaiden
			Aiden|Aidan|Ayden Bradley Kevin Anthony Simon Neil Scott Carl Shane Philip|Phillip Frederick`),
		female: split(`Olivia Amelia Isla Ava Emily Isabella Mia Poppy Ella Lily Evie Grace Sophia Chloe
			Jessica Ruby Charlotte Freya Alice Florence Daisy Phoebe Matilda Scarlett Holly Millie Ellie
			Lucy Megan Hannah Lauren Rebecca Amy Chelsea Jade Danielle Kayleigh|Kayley|Kaylee Stacey|Stacy
			Leanne|Lianne Gemma Kerry Emma Sarah|Sara Laura Nicola Rachel Claire|Clare Michelle Lisa Donna
			Joanne Samantha Katherine|Catherine|Kathryn Elizabeth Victoria Natalie Zoe|Zoë|Zoey
			Caitlin|Katelyn|Kaitlyn Courtney Shannon Kelsey Paige Tia Summer Skye Abigail Deborah`),
		family: split(`Smith Jones Williams Taylor Brown Davies|Davis Evans Wilson Thomas Johnson Roberts
			Robinson Thompson|Thomson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke|Clark
			Jackson Wood Turner Martin Cooper Hill Ward Morris Moore King Baker Harrison Morgan Allen James
			Scott Phillips|Philips Watson Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter
			Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Marshall Anderson Simpson Ellis
			Adams Wilkinson Foster Chapman Mason Russell Webb Rogers Hunt Mills Holmes Palmer
			Matthews|Mathews Fisher Barnes Knight Lloyd Butler Barker Fletcher Stevens Dixon Pearson Hudson
			Kennedy McDonald MacKenzie McLean Campbell Holloway Ashworth Featherstone Smith-Jones
			Taylor-Brown Lloyd-Evans Heath Nolan Stokes Doherty Fox Lowe`),
	},
	{
		name: "south_asian", weight: 0.14, givenS: 0.9, familyS: 0.8, listShare: 1,
		male: split(`Mohammed|Muhammad|Mohamed|Mohammad Ali Ahmed|Ahmad Hamza|Hamzah Ibrahim Yusuf|Yousuf|Yousef
			Ayaan Zain|Zayn Bilal Imran Tariq Adnan Faisal Usman|Osman Arjun Rohan Aarav Vikram Sanjay Rajesh
			Amir|Ameer Haris Zakariya|Zakaria|Zachariah Rayyan Abdullah Hussain|Hussein|Husain Hassan Aryan
			Ishaan Kabir Danyal|Daniyal Rehan Shahid Asif Nadeem Kamran Waqas Junaid Harjit Gurpreet Mandeep`),
		female: split(`Aisha|Ayesha|Aysha Fatima|Fatimah Maryam|Mariam Zara|Zahra Hafsa|Hafsah Amina|Aminah
			Noor|Nur Zainab Khadija|Khadijah Sana Anaya Aleena|Alina Hania Inaya Priya Anjali Sunita Nisha Pooja
			Shabana Nasreen|Nasrin Rukhsana Samina Farzana Nazia Saima Sadia Ruqayyah|Ruqayya Safa Mehreen
			Iqra Alisha Simran Harpreet`),
		family: split(`Khan Ahmed Ali Hussain|Hussein Begum Patel Shah Akhtar Bibi Rahman|Rehman Islam Uddin
			Miah|Mia Iqbal Mahmood|Mehmood|Mahmud Chaudhry|Chaudhary|Choudhury Malik Butt Sheikh|Shaikh
			Qureshi|Kureshi Siddiqui|Siddiqi Ahmad Aslam Bashir Rashid Hanif Singh Kaur Sharma Gill Sandhu
			Sidhu Kumar Mistry Desai Mirza Javed|Javaid Saleem|Salim Nawaz`),
	},
	{
		name: "eastern_european", weight: 0.09, gendered: true, givenS: 0.5, familyS: 0.7, listShare: 0.35,
		tailHead: split(`Kow Lew Wis Kam Zel Szym Dab Koz Jank Mazur Krawc Pietr Grab Paw Wrob Zak Mich Dud Wal
			Sob Kub Tom Gors Jasin Barn Kaczm Sik Chmiel Ostr Bor Mar Pop Ion Dum Stef Radu Vas Petr Kov Bond`),
		tailEnd: split(`ski owski ewski czyk iak ek escu enko uk ov ev as ic ovic`),
		male: split(`Jakub|Yakub Kacper Szymon Filip Mateusz Oskar Antoni Piotr Tomasz Krzysztof Łukasz|Lukasz
			Michał|Michal Paweł|Pawel Wojciech Marek Andrei|Andrey Ionuț|Ionut Mihai Alexandru Gabriel
			Aleksandr|Alexander|Oleksandr|Aleksander Dmitri|Dmitry|Dimitri Sergei|Sergey|Serhiy Mykola|Nikolai
			Ivan Artem|Artyom Maksym|Maxim|Maksim Vasile Bogdan Denis Darius Lukas Mantas Tomas`),
		female: split(`Zofia|Zosia|Sofia Zuzanna Julia Maja|Maya Lena Hanna Alicja Natalia|Natalya|Nataliya
			Katarzyna Agnieszka Anna Magdalena Małgorzata|Malgorzata Joanna Ioana Maria Elena Andreea Bianca
			Yuliya|Yulia Olena|Alena Oksana Svetlana Daria|Darya Anastasia|Anastasiya Wiktoria|Viktoria|Victoria
			Ieva Agne`),
		family: split(`Kowalski Nowak Wiśniewski|Wisniewski Wójcik|Wojcik Kowalczyk Kamiński|Kaminski
			Lewandowski Zieliński|Zielinski Szymański|Szymanski Woźniak|Wozniak Dąbrowski|Dabrowski Popescu
			Ionescu Popa Dumitru Stan Stoica Gheorghe Rusu Ivanov Petrov Kovalenko Shevchenko|Ševčenko
			Bondarenko Tkachenko Melnyk|Melnik Kazlauskas Petrauskas Jankauskas Horváth|Horvath Nagy
			Kovács|Kovacs Smirnov Volkov`),
	},
	{
		name: "black_african_caribbean", weight: 0.09, givenS: 0.5, familyS: 0.7, listShare: 0.4,
		tailHead: split(`Ade Ola Olu Oke Oko Nwa Ogu Osa Aki Bab Ayo Ife Kol Obi Uche Eze Mba Asa Kwa Ama Ofo`),
		tailEnd:  split(`bayo wale yemi nde sanya kunle ola for nkwo chukwu gbe ke lowo mide tunde ri du si`),
		male: split(`Emmanuel Samuel David Daniel Joshua Michael Kwame Kofi Kwabena Yaw Chidi Chinedu Obinna
			Emeka Tunde Adebayo Oluwaseun|Oluwasegun Tyrone Jermaine Marcus Andre|André Darnell Rashid Malik
			Isaiah Elijah Nathaniel Jamal Kemar Delroy Winston Ebuka Femi`),
		female: split(`Blessing Precious Grace Mercy Faith Esther Abena Ama Akosua Efua Chioma Ngozi Adaeze
			Funmilayo Folake Temitope Shanice Shantelle|Chantelle Tanisha Keisha Aaliyah|Aliyah Jada Destiny
			Imani Nia Zuri Amara Kezia|Keziah Abigail Deborah Ifeoma`),
		family: split(`Okafor Okeke Adeyemi Adebayo Mensah Osei Owusu Boateng Asante Agyeman Campbell Williams
			Brown Francis Grant Thomas Johnson Clarke Reid Henry Okonkwo Nwosu Eze Oyelaran Bakare Ogunleye
			Olawale Appiah Darko Kamara Conteh Bangura`),
	},
	{
		name: "arab_somali", weight: 0.05, swapProneNames: true, givenS: 0.9, familyS: 0.7, listShare: 1,
		male: split(`Abdi Abdirahman|Abdulrahman|Abdurahman Mohamed|Mohammed|Muhammad Ahmed Hassan Hussein
			Omar|Umar Yusuf|Yousef|Youssef Ali Ibrahim Ismail|Ismael Khalid|Khaled Mustafa|Mostafa Abdullahi
			Osman|Othman Bashir Faisal Karim|Kareem Tariq Zakaria Hamza`),
		female: split(`Hodan Fadumo|Fatuma Hawa Amina Khadra Asha|Aisha Ifrah Sahra Nasra Hibo Layla|Leila|Laila
			Yasmin|Yasmine Mariam|Maryam Noor Hana Rania Salma Huda Iman|Eman Sumaya|Sumaiya Sagal Ubah`),
		family: split(`Mohamed Ahmed Ali Hassan Abdi Farah Osman Omar Yusuf Hussein Jama Warsame Ismail Aden
			Nur Mohamud Abdullahi Elmi Said|Saeed Al-Hassan Haddad Khalil Nasser Saleh`),
	},
	{
		name: "irish", weight: 0.03, givenS: 0.5, familyS: 0.7, listShare: 0.6,
		tailHead: split(`Mac Mc O'`),
		tailEnd: split(`Bride Cann Carthy Dermott Donagh Eneaney Fadden Garry Gowan Hale Keown Laverty Manus Nulty Quaid
			Rory Shane Sweeney Teague Ardle Kenna Aleese Callion`),
		male: split(`Seán|Sean|Shaun Ciarán|Ciaran|Kieran Cillian|Killian Pádraig|Padraig Eoin Conor|Connor
			Declan Darragh Oisín|Oisin Colm Ronan Fionn|Finn Cathal Dónal|Donal`),
		female: split(`Niamh Siobhán|Siobhan Aoife Saoirse Róisín|Roisin Orla|Orlagh Aisling|Ashling
			Ciara|Kiera Gráinne|Grainne Eimear Caoimhe Clodagh Sinéad|Sinead Máire|Maire`),
		family: split(`Murphy Kelly O'Sullivan Walsh O'Brien Byrne Ryan O'Connor O'Neill O'Reilly Doyle
			McCarthy Gallagher O'Doherty Kennedy Lynch Murray Quinn McLoughlin O'Carroll Connolly Daly
			O'Connell MacNamara McGrath Brennan Burke`),
	},
}

// shortForms are the short forms officers write for given names (the
// generator's list; a few are not in the matcher's table on purpose).
var shortForms = map[string][]string{
	"Oliver": {"Ollie"}, "Thomas": {"Tom", "Tommy"}, "William": {"Will", "Billy"}, "James": {"Jim", "Jamie"},
	"Joseph": {"Joe"}, "Edward": {"Ed", "Eddie"}, "Samuel": {"Sam", "Sammy"}, "Daniel": {"Dan", "Danny"},
	"Alexander": {"Alex", "Sasha"}, "Joshua": {"Josh"}, "Matthew": {"Matt"}, "Michael": {"Mike", "Mikey"},
	"David": {"Dave"}, "Robert": {"Rob", "Bob", "Robbie"}, "Richard": {"Rich", "Ricky"},
	"Christopher": {"Chris"}, "Anthony": {"Tony"}, "Stephen": {"Steve"}, "Steven": {"Steve"},
	"Andrew": {"Andy"}, "Benjamin": {"Ben"}, "Nathan": {"Nate"}, "Frederick": {"Fred", "Freddie"},
	"Jakub": {"Kuba"}, "Wojciech": {"Wojtek"}, "Aleksandr": {"Sasha"}, "Oleksandr": {"Sasha"},
	"Dmitri": {"Dima"}, "Mohammed": {"Mo"}, "Muhammad": {"Mo"}, "Ibrahim": {"Ibby"},
	"Oluwaseun": {"Seun"}, "Adebayo": {"Bayo"}, "Emmanuel": {"Manny"}, "Kwabena": {"Kobby"},
	"Olivia": {"Liv"}, "Isabella": {"Bella", "Izzy"}, "Elizabeth": {"Liz", "Beth"},
	"Charlotte": {"Lottie"}, "Rebecca": {"Becky", "Bex"}, "Samantha": {"Sam"}, "Katherine": {"Kate", "Katie"},
	"Catherine": {"Kate", "Cathy"}, "Victoria": {"Vicky", "Tori"}, "Jessica": {"Jess"}, "Natalie": {"Nat"},
	"Amelia": {"Millie"}, "Natalia": {"Tasha"}, "Katarzyna": {"Kasia"}, "Małgorzata": {"Gosia"},
	"Agnieszka": {"Aga"}, "Nicola": {"Nicky"}, "Danielle": {"Dani"}, "Gemma": {"Gem"}, "Joanne": {"Jo"},
	"Abigail": {"Abby"}, "Deborah": {"Debbie"}, "Temitope": {"Tope"}, "Funmilayo": {"Funmi"},
	"Abdirahman": {"Abdi"}, "Zofia": {"Zosia"}, "Alexandru": {"Alex"},
}

// streets and towns of the synthetic area (fictional; postcode area MF).
var (
	streetNames = split(`High Station Church Victoria Park Mill School Queen King Albert Manor Green Chapel
		Grove Mount Orchard Bridge Meadow Windsor Oak Elm Beech Ash Cedar Willow Holly Forest Castle Spring
		Brook Hill Stanley Clarence Alexandra Princess Nelson Hampton Stafford Lancaster York Ripon Fern
		Heather Primrose Bluebell Laburnum Rowan Hawthorn Chestnut Sycamore Poplar Larch Alder Hazel Linden
		Lime Maple Pine Birch Rose Lily Daisy Tulip Acacia Myrtle Juniper Cherry Plum Apple Pear Quarry
		Canal Wharf Market Cross Abbey Priory Kings Queens Bishops Deans Wellington Waterloo Trafalgar`)
	streetTypes = split(`Street Road Avenue Close Lane Drive Court Crescent Place Gardens Terrace Grove Way Walk Square`)
	towns       = split(`Millford Eastbrook Hadley Northam Westerby Southgate Kingsmoor Ashdown Brookfield Thornley`)
)
