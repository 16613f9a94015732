# How disclosures-v4.json (2.4.0) was made from disclosures-v3.json (2.3.0): every
# change by concept, in order, so a reviewer can read the whole diff as intent.
# Run from anywhere: python3 forms/testdata/recognise/make-disclosures-v4.py
import json, sys
import os
root=os.path.join(os.path.dirname(os.path.abspath(__file__)),'..','..','..')
src=os.path.join(root,'assets/recognise/disclosures-v3.json')
dst=os.path.join(root,'assets/recognise/disclosures-v4.json')
d=json.load(open(src))
d['version']='2.4.0'
for b in d['bindings']:
    if b['checklist']=='child-at-risk': b['versions']=['3.2.0']
C=d['classes']; K={k['id']:k for k in d['kinds']}
def addc(name, items):
    for i in items:
        if i not in C[name]: C[name].append(i)
def frame(kind, **f):
    f.setdefault('match',[]); f.setdefault('nomatch',[])
    K[kind]['frames'].append(f)
def net(kind, **n):
    K[kind].setdefault('nets',[]).append(n)
def kunless(kind, fr):
    K[kind].setdefault('unless',[]).append(fr)
def fr(kind, fid):
    for f in K[kind]['frames']:
        if f['id']==fid: return f
    raise KeyError(fid)
def pat(kind, pid):
    for p in K[kind].get('patterns',[]):
        if p['id']==pid: return p
    raise KeyError(pid)

# ---- shared: definitional / advice text is not a disclosure (every kind)
DEF='(is|are|means when)|(can happen)|(can include)|(can involve)|(yw pan)|(cam drin ~3 yn cynnwys)|(yn gam drin)'
for k in K: kunless(k, DEF)
neg=d['negation']
for w in ['know','knew','knows']:
    if w not in neg['en']['breaks']: neg['en']['breaks'].append(w)
for w in ['gwybod','wybod']:
    if w not in neg['cy']['breaks']: neg['cy']['breaks'].append(w)
for h in ['if youve','if you have','if you are','if youre','if you get','if you ever']:
    if h not in neg['en']['hypothetical']: neg['en']['hypothetical'].append(h)

# ---- spelling: allowed/aloud
for i,v in enumerate(C['NEGLET']):
    C['NEGLET'][i]=v.replace('allowed','allowed|aloud|alowed|alloud')
for i,v in enumerate(C['N_SHUTOUT']):
    C['N_SHUTOUT'][i]=v.replace('not allowed','not allowed|aloud|alowed|alloud')

# ---- sexual
frame('sexual', id='f-sexual-fingered', lang='en',
      frame='finger*|fingerd|fingerin|fingured @OBJ|@VICTIM',
      unless='(finger* @OBJ out)|(point* ~2 finger*)|(finger paint*)',
      match=['he kept fingering me even tho i said stop','she said he fingered her in the car'],
      nomatch=['she pointed her finger at me','nobody has ever fingered me'],
      note='a penetrative act named by its verb: no body part needed')
clothes='clothes|pants|knickers|top|trousers|bottoms|bra|pyjamas|pjs|pajamas|jamas|nightie|nightdress|shorts|skirt|dress|tights|leggings|onesie|shirt|tshirt|jeans|boxers|underwear|uniform'
for i,v in enumerate(C['UNDRESS']):
    C['UNDRESS'][i]=v.replace('clothes|pants|knickers|top|trousers|bottoms|bra|pyjamas',clothes)
frame('sexual', id='f-sexual-took-clothes-off', lang='en',
      frame='took|take|takes|taking|pull*|pulled|yank*|rip*|tore off|down @POSS '+clothes+' ~8 sleep*|asleep|slept|bed|night|bedroom|hurt*|down|below|touch*|drunk|party',
      unless='bath|bathe|shower|wash*|nappy|doctor|nurse|swim*|pool|changing|wet|muddy|sick|poorly|(put @POSS pyjamas|pjs on)',
      match=['dads friend took off my pjs while i was sleeping','he pulled down my pants when i was in bed'],
      nomatch=['mum took off my wet pyjamas and gave me a bath','nobody took off my clothes'],
      note='an adult undressing the child, with night, bed or the body as context')
C['N_ONLINESEX']=['do|does|did|doing|done stuff|things|sexual|rude|dirty|sex','perform*','strip*','undress*','show* @POSS? body|bits|privates|boobs|chest']
C['N_CAMCTX']=['webcam','cam','camera','video call*','videocall*','facetime','livestream*','live stream*','on live','on video','onlyfans']
net('sexual', id='n-sexual-webcam-en', lang='en', acts=['N_ONLINESEX'], contexts=['N_CAMCTX'], window=6,
    unless='youtube|gaming|game|games|homework|school|lesson|class|quiz|fortnite|minecraft|roblox|cooking|baking|makeup',
    match=['he gives me money when i go online and do things on webcam','she said the man makes her strip on video call'],
    nomatch=['we do things on webcam for our school project','i have never done stuff on cam'],
    note='sexual acts performed for a camera (online sexual abuse)')
net('photographed', id='n-photo-webcam-en', lang='en', acts=['N_ONLINESEX'], contexts=['N_CAMCTX'], window=6,
    unless='youtube|gaming|game|games|homework|school|lesson|class|quiz|fortnite|minecraft|roblox|cooking|baking|makeup',
    match=['he gives me money when i go online and do things on webcam','she said the man makes her strip on video call'],
    nomatch=['we do things on webcam for our school project','i have never done stuff on cam'],
    note='sexual acts performed for a camera are images of the child')
frame('sexual', id='f-sexual-make-share', lang='en',
      frame='@MAKE @OBJ ~2 share|send|sending|post ~2 pics|pictures|photos|vids|videos|nudes ~6 do|doing|stuff|things',
      unless='homework|pets|dog|cat|holiday|project|class|nan|grandma|birthday',
      match=['my boyfriend is older than me and he makes me share pics and do stuff with other guys online'],
      nomatch=['mum makes me send pics of my homework to dad','he never made me send pics or do stuff'],
      note='coerced image sharing with sexual acts')
frame('photographed', id='f-photo-make-share', lang='en',
      frame='@MAKE @OBJ ~2 share|send|sending|post ~2 pics|pictures|photos|vids|videos|nudes',
      unless='homework|pets|dog|cat|holiday|project|class|nan|grandma|birthday|school|work|art',
      match=['he makes me share pics with other guys online','they made her send photos to them'],
      nomatch=['mum makes me send pics of my homework to dad','nobody made me send pictures'],
      note='coerced image sharing')
frame('photographed', id='f-photo-money', lang='en',
      frame='money|paid|pay|pays|cash|quid|gifts|presents ~5 pics|pictures|photos|videos|vids|nudes|webcam|cam|(video call*)',
      unless='school|competition|prize|wedding|passport|shop|printed|print|frame|album|camera|phone|(school photos)|photographer|modelling|ebay|vinted',
      match=['he said i could make money from the pictures and asked for more','they pay me for nudes'],
      nomatch=['we paid for our school photos','i spent my birthday money on a camera'],
      note='images of the child traded for money or gifts (exploitation)')

# ---- hurt
fr('hurt','f-hurt-hit-victim')['notAfter']='@MODAL|threaten*|(threaten* to)|(if|or @OBJ|they|he|she|i)|sexually|sexual|sexualy'
hv=fr('hurt','f-hurt-hit-victim')
hv['unless']=hv['unless']+'|(pillow|water|snowball|nerf|food fight*)|(crying laughing)|(mucking about|around)|(messing around)'
def addunless(p, rx):
    p['unless'] = (p['unless']+'|'+rx) if p.get('unless') else rx
addunless(pat('hurt','hurt-beat-up-en'), r"\b(?:he'd|hed|she'd|shed|they'd|theyd|i'd|you'd|youd|would|will|'ll|gonna|going to)\s+(?:get\s+|be\s+)?beaten up\b")
addunless(pat('hurt','hurt-hit-person-en'), r"\b(?:pillow|water|snowball|nerf|food) fights?\b|\bcrying laughing\b|\bplay ?fight")
addc('HIT',['clout*','wallop*','pummel*','walloped','clipped @OBJ','clip @POSS ear|ears','(slung|threw|throws|thrown|chucked @OBJ against|into|across|down)','(grab* @OBJ by the? throat|neck|hair|collar)'])

# ---- food
C['N_HUNGER']=['hungry','starving','starved','famished','clemmed','(eisiau bwyd)','underfed','unfed']
C['N_HUNGCTX']=['always','constantly','every day','everyday','all the time','most days','for days','dirty','smelly','unwashed','alone','on their own','on his own','on her own','neglect*','left','cupboards','cupboard','fridge','bins','bin','weekend','weekends','holidays','at home','no food','no money']
net('food', id='n-food-hunger-en', lang='en', acts=['N_HUNGER'], contexts=['N_HUNGCTX'], window=6,
    unless='(whats|what is for)|(cant wait)|(after|before ~2 football|practice|training|swimming|school|pe|gym|match)|snack|pizza|mcdonalds|chippy|diet|fasting|ramadan|(left @POSS lunch)',
    match=['the children next door always look dirty and hungry and she leaves them on their own a lot','i was always hungry at home'],
    nomatch=['im starving, whats for tea','im always hungry after swimming','i have never been hungry at home'],
    note='a child hungry, with a context that makes it lasting or neglectful')
frame('food', id='f-food-malnourished', lang='en',
      frame='malnourish*|undernourish*|underfed|emaciat*|(not being fed)|(not been fed)',
      match=['the three older siblings were also malnourished','officers noted the baby appeared underfed'],
      nomatch=['the baby was not malnourished','we learnt about malnourished children in other countries in geography'],
      unless='geography|lesson|country|countries|africa|charity|famine|(in the news)',
      note='officer words for a child not fed')
frame('food', id='f-food-nobody-feeds', lang='en',
      frame='nobody|noone|(no one)|(no body)|(never anyone) ~4 cook*|make*|made|feed*|fed|buy*|bought|get*|gives|gave ~3 @FOODNOUN|meals|meal|food',
      unless='homework|lift|present|presents|birthday|card|cake',
      match=['there was no one to cook meals for me','nobody makes us dinner'],
      nomatch=['no one made me do my homework','nobody gave me a birthday card'],
      note='no adult who feeds the child')
frame('food', id='f-food-steal-direct', lang='en',
      frame='steal|steals|stealing|stole|nicking|nicks|nicked|shoplift* food|bread|milk|sandwiches|(something to eat)',
      unless='paid|buy|bought|game|pretend',
      match=['they had been stealing food at school','he nicks bread from the shop because there is none at home'],
      nomatch=['someone stole my food at lunch','the seagull stole my chips'],
      note='a child taking food to eat')
frame('food', id='f-food-cy-nobody', lang='cy',
      frame='neb ~4 @CYFOOD|^coginio',
      unless='ysgol|gwers|parti',
      match=['doedd neb arall yn rhoi bwyd i fi','does neb yn coginio swper i ni'],
      nomatch=['neb yn hoffi bwyd yr ysgol'],
      note='nobody feeds the child (Welsh)')
frame('food', id='f-food-cy-llwglyd', lang='cy',
      frame='(^llwglyd|^newynog ~4 wastad|(bob amser)|(drwy r amser)|(bob dydd)|byth|dim|gartre*)|(wastad|(bob amser) ~3 ^llwglyd|^newynog)',
      match=['roeddwn i wastad yn llwglyd, doedd dim digon o fwyd gartre','mae e bob amser yn newynog'],
      nomatch=['dw i ddim yn llwglyd nawr'],
      note='lasting hunger (Welsh)')
addc('NEGFOOD',['nobody','noone'])
ha=fr('food','f-food-hungry-always'); ha['unless']=((ha['unless']+'|') if ha.get('unless') else '')+'(after|before ~2 football|practice|training|swimming|school|pe|gym|match|running)'

# ---- carry_sell
kunless('carry_sell','(talked|taught|told us|learn*|learnt|learned|lesson|assembly ~3 about county lines|exploitation|drugs|gangs)|assembly|documentary')

# ---- abroad
pp=fr('abroad','f-abroad-passport')
pp['frame']='take*|took|taken|hid|hidden|hide*|keep*|kept|stole|stolen|gave|given|confiscat*|burnt|burned|tore ~2 @POSS|the passport|passports'
pp['unless']='('+pp['unless']+')|renew*|expired|queue|airport|forgot|lost|(passport control)|application|apply|office|photo'
pp['match'].append('he gave our passports to his family')
pp['nomatch'].append('we took our passports to the airport')
pa=pat('abroad','abroad-place-purpose-en') if any(x['id']=='abroad-place-purpose-en' for x in K['abroad']['patterns']) else None
pa['unless']=r"\b(?:cousin|sister|brother|aunt|auntie|aunty|uncle|friend|mate|teacher)s?\s+(?:is|are|was|were|'s|s)\s+(?:getting|gettin|going to get)\s+married\b"

# ---- photographed: exposure verbs in threats
th=fr('threatened','f-threat-or-tell')
th['frame']=th['frame'].replace('tell|show|send|post|share|expose|leak','tell|show|send|post|share|expose|leak|release|upload|spread|put')
# Welsh modals, all persons and mutations
addc('CYMODAL',['^byddai','^bydden','^byddwn','^byddi','^byddwch','^byddent','^byddan','^bydd','^basai','^basen','^baswn','^buasai','^buasen','am','mynd i'])
addc('CYHARM',['^dod o hyd i','^dod ar fy ol','^torri fy','^torri ei','^ladd'])
frame('threatened', id='f-threat-cy-os', lang='cy',
      frame='@CYMODAL ~6 @CYHARM ~6 os',
      unless='(os ~2 ^bwrw glaw)|gacen|cacen|^bara|^gwallt|^porfa|^glaswellt|gem|gêm|chwarae|pel|ffon|ffôn|ystafell|stafell|llanast|hwyr|tacluso|colli|colla|gwaith',
      match=["bydden nhw'n torri fy nghoes i ffwrdd os dw i'n gadael", "byddai e'n fy lladd i os dw i'n dweud"],
      nomatch=['bydd hi\'n torri\'r gacen os wyt ti eisiau'],
      note='a conditional harm: will/would harm ... if (Welsh)')

# ---- not_home
frame('not_home', id='f-nh-cant-get-in', lang='en',
      frame='cant|couldnt|cannot|(could not)|(can not)|(not able to)|(wasnt able to) get|go in|into|inside ~2 the|my|our|his|her? own? house|home|flat',
      unless='key|keys|forgot|lost|card|(at work)|until|till|yet|fob|code|snow|flood*|police|tape|fire',
      match=['i couldnt get into my own house','she said she cant get in the house anymore'],
      nomatch=['i couldnt get in the house because i forgot my key','i cant get in the house till mum gets back from work'],
      note='shut out of the home')
ng=fr('not_home','f-nh-neglet')
ng['unless']='('+ng['unless']+'|yet|work)|(forgot|lost ~2 key|keys)'
frame('not_home', id='f-nh-cy-told-leave', lang='cy',
      frame='wrtha|wrtho|wrthi|wrthon|wrthyn|wrthym ~3 am|i ^gadael ~2 y|r? ^ty|^cartref|adre*|gartre*',
      unless='ysgol|dosbarth|parti|siop|stafell|ystafell',
      match=["dywedodd mam a dad wrtha i am adael y tŷ a pheidio dod yn ôl"],
      nomatch=["dywedodd mam wrtha i am adael y dosbarth yn dawel"],
      note='told to leave the home (Welsh)')


# ---- Welsh mutations, systematically: a plain word of a Welsh class that
# starts with a consonant that mutates is matched in all its mutations
import re as _re
for name, items in C.items():
    if not (name.startswith('CY')):
        continue
    for i, w in enumerate(list(items)):
        if _re.fullmatch(r"(p|t|c|b|d|g|m|ll|rh)[a-zâêîôûŵŷ]+", w) and ('^'+w) not in items:
            items[i] = '^'+w
    C[name] = list(dict.fromkeys(items))
addc('CYSEXCTX', ['^cawod', '^bath', '^newid', '^dadwisgo', '^toiled', '^ty bach'])
f=fr('sexual','f-sexual-cy-hand'); f['frame']=f['frame'].replace('~2 dan|mewn|lan|i ~2','~2 dan|mewn|lan|i|lawr|fyny|tu ~2')
f['match'].append('mae ewythr yn rhoi ei law lawr fy nhrowsus')
addc('SEXACT', ['giv*|gave|give|gives @OBJ head', 'bj', 'bjs', 'blowie*', 'hand job*', 'handjob*', 'go|goes|went|going down on @OBJ', 'groomed|grooming @OBJ'])
addc('SEXCTX', ['giving|give|gave|gives @OBJ head', 'blowjob*', 'bj', 'blowie*', 'having sex', 'doing it', 'sexual'])
frame('photographed', id='f-photo-made-images', lang='en',
      frame='took|taken|take|takes|taking|made|make|making|produc*|creat*|has|have|had|possess* ~3 @SEXPHOTO',
      unless='illegal|law|crime|learnt|lesson|learn*|(is a)|offence|assembly|(how to)',
      match=['the male is believed to have taken indecent images of the child','he made sexual images of her'],
      nomatch=['we learnt that taking indecent images is illegal','nobody has taken nude pictures of me'],
      note='officer words for sexual images of the child')
frame('hurt', id='f-hurt-passive-with', lang='en',
      frame='being|been|was|were|got|gets|get|is|gettin @HIT ~2 with|by ~2 a|the|his|her|their? belt|stick|cane|slipper|shoe|hairbrush|spoon|bat|cable|wire|lead|hanger|ruler|strap|fist|fists|iron|knife|bottle|remote|plate|lighter|cigarette|hammer|chair|pan',
      unless='ball|accident|accidentally|game|(by mistake)|swing|door',
      match=['the child disclosed being struck with a belt across the back of her legs','she was beaten with a stick by her uncle'],
      nomatch=['i got hit with a ball in pe','he was never hit with a belt'],
      note='hurt with an object, in the passive (officer accounts)')
frame('not_home', id='f-nh-changed-locks', lang='en',
      frame='changed|change|changes|changing the|her|his|our? locks',
      unless='burgl*|broke|broken|lost|landlord|council|(new house)|(moved in)|safe|safety|ex|(keep him out)|(keep her out)',
      match=['mum changed the locks so im stopping on my mates floor'],
      nomatch=['the landlord changed the locks after the burglary'],
      note='shut out of the home by new locks')
frame('not_home', id='f-nh-refused-have', lang='en',
      frame='refus*|refuse* to have|let|take @OBJ? ~1 home|back|in',
      unless='school|class|club|party|team|(back to school)',
      match=['since her mother refused to have her home','dad refuses to let me back in'],
      nomatch=['she refused to let me back in the team'],
      note='a carer refusing to have the child home')
frame('not_home', id='f-nh-left-outside', lang='en',
      frame='left|kept|made|leave|leaves|shut @OBJ? ~1 outside|out ~4 overnight|(all night)|(the night)|night|hours|cold|rain|dark',
      unless='washing|bins|bin|bike|dog|cat|toys|shoes|(left it)|(left them)|(garden party)|camping|tent',
      match=['the child states that she was left outside the property overnight','he made me stay outside all night'],
      nomatch=['we left the washing outside all night','i left my bike out in the rain'],
      note='a child left outside, at night or in the cold')
frame('not_home', id='f-nh-cy-nad-cael', lang='cy',
      frame='nad|ddim|byth ~3 cael ^byw|^mynd|^dod|^aros ~3 ^ty|adre*|gartref|rhagor|mwyach|(yn ol)',
      unless='heno|parti|ysgol|tan|nes|hwyr|^gwyliau|(ar ben fy hun)|(ar fy mhen fy hun)',
      match=["mae dad wedi dweud nad ydw i'n cael byw yn y tŷ rhagor", "dydw i ddim yn cael dod adre rhagor"],
      nomatch=["dydw i ddim yn cael aros gartref ar ben fy hun"],
      note='not allowed to live at or come home (Welsh; a negative verb before cael)')
sl=fr('not_home','f-nh-sleep-rough')
sl['frame']=sl['frame'].replace('(sleep*|slept|sleepin ~2 in|on ~1 the|a? car|van|garage|shed|stairwell)','(sleep*|slept|sleepin|living|staying|stopping ~2 in|on ~3 car|van|garage|shed|stairwell)')
sl['match'].append("child stated she has been living in a friend's garage")
frame('carry_sell', id='f-carry-hand-bags', lang='en',
      frame='give|gives|gave|given|hand|hands|handed|take|takes|took|drop|drops|deliver*|pass|passes ~4 bag|bags|package*|parcel*|packet*|wraps|wrap ~5 people|someone|somebody|strangers|(where they say)|(a man)|(some man)|(the man)|customers|(i dont know)|addresses|(an address)|houses',
      unless='shopping|school|homework|charity|mum|nan|gran|(my|our house)|(to the car)|present*|(parcel force)|postman',
      match=['these older lads give me little bags to hand to people at the park','i have to take the packages to an address they text me'],
      nomatch=['i carry the shopping bags in for my nan','i take the charity bags to the shop for mum'],
      note='small bags or packages handed to people for others (running drugs)')
addc('HARM', ['find @OBJ|you|us', 'track @OBJ|you|us down', 'hunt @OBJ|you|us down'])
addc('PURPOSE', ['(the|an operation that)', '(operation ~3 all|other the? girls)', '(what all the girls have)', '(special procedure)', '(procedure to)'])

# ---- misspellings and bare passives (from ad-hoc checks, not a measure set)
addc('HIT', ['punched', 'punches', 'punching', 'punchd', 'kickd', 'slapd', 'beated', 'smakd', 'hitted'])
frame('hurt', id='f-hurt-passive-bare', lang='en',
      frame='get|gets|got|getting|been|was|be|being|am|is battered|beaten|punched|kicked|slapped|hit|strangled|whipped|belted|leathered|thumped|smacked|booted|throttled ~1 when|whenever|every|if|(at home)|again|(all the time)|for|cos|because',
      unless='football|match|game|ball|rugby|lost|nil|goals|fifa|pe|accident|accidentally|team|(in the|a|our game|match)|car|bus|lightning|wave|waves',
      match=['i get battered when he is drunk','she said she gets slapped if she answers back'],
      nomatch=['we got battered again in the match on saturday','i got hit when the ball came over'],
      note='beaten, in the passive without a named agent')
frame('food', id='f-food-kept-from', lang='en',
      frame='kept|keeps|keep|keeping|stopped|stops|stop|stopping @OBJ? from eating|food|(having food)|(having any food)',
      unless='sweets|snacks|(before dinner)|junk|chocolate|crisps|(before tea)|(before the operation)|surgery|fasting',
      match=['i was kept from eating for 2 days','they keep him from eating as a punishment'],
      nomatch=['mum stops me from eating sweets before dinner'],
      note='food withheld')
ts=fr('photographed','f-photo-threaten-share'); ts['frame']=ts['frame'].replace('@SHARE|send|show|post','@SHARE|send|show|post|put|upload|leak|release')
frame('threatened', id='f-threat-expose-images', lang='en',
      frame='@MODAL put|post|share|send|show|upload|leak|release ~3 @PHOTO|@SEXPHOTO|nudes|pics|pictures|videos|them|it ~3 online|everyone|school|internet|snap|snapchat|insta|instagram|(@POSS @ADJ? @FAMILY)',
      unless='party|holiday|birthday|wedding|trip|match|concert|(school play)|sports',
      match=['he said if i dont do what he says he will put the pictures online','they said theyd send my nudes to my mum'],
      nomatch=['mum will put the holiday pictures online','he never said he would put the pictures online'],
      note='a threat to expose images of the child (sextortion)')

# ---- everyday near misses (from ad-hoc checks of the brief's examples)
TRIVIAL = r"mud|muddy|carpet|mess|messy|tidy|homework|late|phone|lose|lost|spill\w*|report|grades|biscuits?|chocolate|sweets|(?:eat|ate) the last|new shoes|her car|his car|the car|remote|telly|tv|xbox|ipad"
addunless(pat('threatened','threat-said-will-en'), r"\bkill (?:me|us|him|her|you)\b.{0,10}\bif (?:i|we|you|he|she|they) (?:\w+ ){0,4}(?:" + TRIVIAL + r")\b")
sm=fr('threatened','f-threat-say-modal'); sm['unless']='('+sm['unless']+')|(kill @OBJ ~1 if ~5 mud|muddy|carpet|mess|messy|tidy|homework|late|phone|lose|lost|spill*|report|grades|biscuit*|chocolate|sweets|remote|telly|tv|xbox|ipad)'
sm['nomatch'].append('nan said she will kill me if i get mud on the carpet')
SCHOOL = r"\bthreat\w* to (?:keep (?:us|me|him|her|them) in|give (?:us|me|him|her|them) (?:a )?detentions?|put (?:us|me|him|her|them) in detention|send (?:us|me|him|her|them) to the head\w*|ring (?:my|his|her|our) (?:mum|dad|parents)|call (?:my|his|her|our) (?:mum|dad|parents))"
addunless(pat('threatened','threat-verb-en'), SCHOOL)
tt=fr('threatened','f-threat-threaten'); tt['unless']=tt['unless']+'|(threaten*|threatened to keep @OBJ in)|(threaten*|threatened to give @OBJ a? detention*)|(threaten*|threatened to ring|call @POSS mum|dad|parents)'
tt['nomatch'].append('the teacher threatened to keep us in at break')
addunless(pat('not_home','home-not-allowed-en'), r"\b(?:home|back|in|out) (?:late|after \w+|past \w+|before \w+)\b")
addunless(pat('food','food-no-food-home-en'), r"\b(?:shopping|delivery|tesco|asda|aldi|lidl) (?:comes?|is coming|arrives?|day)\b|\bgoing shopping\b")
fn=fr('food','f-food-none'); fn['unless']=fn['unless']+'|(shopping|delivery comes|coming|arrives)|(going shopping)'
kunless('hurt','(beat|beaten|battered|thrashed|smashed|destroyed|hammered ~3 at|in ~1 fifa|fortnite|football|chess|cards|game|games|minecraft|roblox|tennis|pool|darts|race|running|mario|xbox|ps5)')
K['carry_sell']['unless'][-1]=K['carry_sell']['unless'][-1]+'|(watch*|film|programme|video|show|book|story ~3 about county lines|exploitation|drugs|gangs)'

# ---- round 3: concept gaps found by ad-hoc sentences (not a measure set)
frame('sexual', id='f-sexual-ask-see-body', lang='en',
      frame='ask*|asking|asked|want*|wanted|beg*|begging|pressur* ~3 see|show|send ~2 @POSS body|bits|privates|boobs|chest|willy|bum|(private parts)|underwear|pants',
      unless='doctor|nurse|gp|hospital|rash|injury|cut|bruise|graze|spots|sunburn|tattoo|mum|dad|nan|gran',
      match=['he told me his coach sends him messages asking to see his body','the man online keeps asking me to show my boobs'],
      nomatch=['the doctor asked to see my chest','nobody has asked to see my body'],
      note='an adult asking to see the child\'s body (grooming, online or not)')
addc('SEXACT', ['got|gets|get|getting|climbed|climbs|climb on top of @OBJ', 'lay|lies|lying|laid on top of @OBJ'])
fsa=fr('sexual','f-sexual-act'); fsa['unless']=fsa['unless']+'|wrestl*|(play fight*)|dog|puppy|cat|(pile on)|rugby|football'
fsa['match'].append('the man made me lie on the bed and he got on top of me')
fsa['nomatch'].append('my brother got on top of me when we were wrestling')
addc('PURPOSE', ['(i|she|he will|would|wud|is going to|am going to|gonna be|get married)', '(be|get|being|getting married to @POSS? cousin|uncle|man|husband)'])
frame('not_home', id='f-nh-door-on', lang='en',
      frame='lock*|locked|shut|slammed|slam* the|a? door on @OBJ|@VICTIM',
      unless='accident|accidentally|wind|joke|joking|toilet|bathroom|fingers|finger|hand',
      match=['dad locked the door on me','mum slammed the door on him and left him on the step'],
      nomatch=['my sister shut the door on me when i was in the bathroom','the wind slammed the door on my fingers'],
      note='the door shut against the child')
frame('not_home', id='f-nh-stuff-out', lang='en',
      frame='threw|throw*|chuck*|put|puts|dumped|dump* all? @POSS clothes|stuff|things|belongings|bags|stuffs ~3 out|outside|(on the street)|(on the doorstep)|(in bags)|(in bin bags)',
      unless='washing|charity|wash|(the bin)|old|tidy|(too small)|recycling|donate|dry|line',
      match=['dad threw all my clothes out the window','mum put my stuff in bin bags on the doorstep'],
      nomatch=['mum put my clothes out to dry on the line','we put my old clothes in bags for the charity shop'],
      note='the child\'s belongings put out of the home')
addc('HARM', ['(do @POSS @ADJ? @FAMILY)'])
fc=fr('threatened','f-threat-coming'); fc['frame']=fc['frame'].replace('coming|come for|after|round','coming|come for|after|round|to')
fc['match'].append('the gang said they will come to my house')
addc('TELLIF', ['spoke', 'spoken', 'report*', 'grassed'])
frame('threatened', id='f-threat-passive-if', lang='en',
      frame='be|get|getting|being|gets hurt|killed|stabbed|shot|beaten|attacked|burnt|harmed|(beaten up)|(done in) ~4 if|unless ~3 @TELLIF',
      match=['i was told my family would be hurt if i spoke to the police','he said i would get stabbed if i told anyone'],
      nomatch=['you will get hurt if you play on the road','nobody said i would get hurt if i told'],
      note='a threat of harm, in the passive, if the child tells')
frame('carry_sell', id='f-carry-sent-to-sell', lang='en',
      frame='sent|send|sends|sending|taken|took|drove|driven|drop*|dropped ~8 to sell|deal|dealing|shott*|(sell for)|(work the line)',
      unless='cakes|raffle|tickets|(car boot)|fair|charity|cookies|lemonade|ebay|vinted|market|(school fete)|sweets',
      match=['i get sent to a house in a different city to sell for a week at a time','they drove him to another town to deal'],
      nomatch=['we got sent to the school fair to sell cakes','mum took me to the market to sell my old toys'],
      note='the child moved to another place to sell (county lines)')
frame('food', id='f-food-no-milk', lang='en',
      frame='no|without|never|hasnt|hadnt|nothing ~2 milk|bottle|bottles|formula|feed|feeds ~4 (all day)|(for hours)|day|night|hours|since|(all night)',
      unless='lactose|allergic|allergy|shop|cereal|tea|coffee|cow|cows|(ran out)',
      match=['the baby was left with no milk all day','the baby has had no bottle since last night'],
      nomatch=['we have no milk for my cereal so mum is going to the shop'],
      note='a baby not fed')

# ---- round 4: more concept gaps from ad-hoc sentences (not a measure set)
frame('hurt', id='f-hurt-drown', lang='en',
      frame='push*|pushed|held|hold*|holding|forced|shoved|dunk* (@POSS head|face ~1 under)|(@OBJ under) the? water|bath',
      unless='swimming|lesson|pool|game|(for fun)|snorkel*',
      match=['he pushed my head under the water in the bath','she held him under the water'],
      nomatch=['my brother dunked me under the water at the pool for fun'],
      note='held under water')
frame('hurt', id='f-hurt-cut-with', lang='en',
      frame='cut|cuts|cutting|slash*|sliced|slices @OBJ|@VICTIM ~2 with|on a|the|his|her? knife|blade|razor|glass|scissors|stanley',
      match=['she cuts me with a knife when she is angry','he slashed him with a blade'],
      nomatch=['mum cuts my hair with scissors','nobody has cut me with a knife'],
      note='cut with a blade')
frame('carry_sell', id='f-carry-drops', lang='en',
      frame='(do|doing|did|done drops)|(do|doing|did a drop)|(run|runs|ran|running|work|working the|a? line|lines)|(drop offs)',
      unless='(fishing line)|(finish line)|(washing line)|(line dancing)|queue|(in line)|eye|eyes|cough|nose',
      match=['the olders give me a phone and i have to do drops','he runs a line for them'],
      nomatch=['i ran to the finish line on sports day','i never did drops for anyone'],
      note='slang for delivering drugs')
addc('N_RUNACT', ['travel*', 'on the train', 'on a train', 'on the bus', 'on the coach'])
addc('SEXPHOTO', ['upskirt*', 'creepshot*', '@PHOTO up @POSS skirt', '@PHOTO down @POSS top'])
frame('not_home', id='f-nh-cant-live', lang='en',
      frame='said|says|told|tells|saying ~4 cant|cannot|(not allowed to)|(wont let @OBJ) live|stay|sleep ~3 anymore|(any more)|here|there|(with her)|(with him)|(with them)',
      unless='work*|job|moving|moved|(too small)|(for the weekend)|tonight|sleepover',
      match=["mum said i can't live with her anymore so i'm at my aunt's"],
      nomatch=["dad said i can't stay with him this weekend because he is working"],
      note='told the child cannot live at home any more')
frame('not_home', id='f-nh-turned-away', lang='en',
      frame='turned|sent|turns|turn @OBJ? away ~3 door|home|house|flat',
      unless='cinema|club|shop|party|pub|concert|gig|match|bouncer|nightclub|stadium|school',
      match=['he was turned away at the door when he tried to go home'],
      nomatch=['we were turned away at the cinema door'],
      note='turned away from home')

# ---- round 5: near misses of the new and old frames (ad-hoc everyday speech)
fd=fr('carry_sell','f-carry-drops'); fd['unless']+='|food|bank|charity|school|leaflets|newspapers|relay|race|linesman|(sports day)|athletics|sprint*|track|drills|training|rugby|football|pe|(lines in the|a play)|script|drama|rehears*'
fd['nomatch'].append('we do drops of food to the food bank with school')
kunless('carry_sell', 'relay|linesman|(sports day)|(egg and spoon)')
fl=fr('not_home','f-nh-cant-live'); fl['unless']+='|up|late|out|awake'
fl['nomatch'].append('mum said i cant stay up late anymore')
fo=fr('not_home','f-nh-stuff-out'); fo['unless']+='|(for school)|(for tomorrow)|(for the morning)|ready|bed'
fo['nomatch'].append('my mum put my clothes out for school')
for k in K:
    K[k]['unless'][K[k]['unless'].index(DEF)] = DEF + '|(taught|teach|teaches @OBJ that|about)'
PETS = 'cat|cats|dog|dogs|puppy|kitten|hamster|rabbit|guinea|fish|horse|pony|budgie|parrot'
ha['unless'] += '|' + PETS
for n in K['food']['nets']:
    if n['id'] == 'n-food-hunger-en': n['unless'] += '|' + PETS; n['nomatch'].append('my cat is always hungry')
ng['unless'] += '|(door|lock was|is|got stuck|jammed|broken)'
ci=fr('not_home','f-nh-cant-get-in'); ci['unless'] += '|stuck|jammed|broken'
ci['nomatch'].append('i couldnt get in the house because the door was stuck')
for fid in ('f-threat-cy-say', 'f-threat-cy-os'):
    t=fr('threatened', fid); t['unless'] = ((t['unless']+'|') if t.get('unless') else '') + '^gwallt|^ewinedd|^cacen|gacen|^bara|^porfa|^glaswellt'
fr('threatened','f-threat-cy-say')['nomatch'].append("dywedodd mam y bydd hi'n torri fy ngwallt")
addunless(pat('abroad','abroad-place-purpose-cy'), r"\bpriodas (?:fy|ei|ein|eu)\b")
fa=fr('abroad','f-abroad-cy'); fa['unless'] = '(' + fa['unless'] + ')|(^priodas fy|ei|ein|eu)'
fa['nomatch'].append('aethon ni i Bacistan i briodas fy nghefnder')
pat('abroad','abroad-place-purpose-cy')['nomatch'].append('aethon ni i Bacistan i briodas fy nghefnder')
kunless('photographed', '(when i|he|she|we|they was|were a? baby|babies|toddler|toddlers|newborn)|(pan ~3 ^babi|^baban|fach)')

# ---- round 6 (after probe12's one unseen measure: probe12 is a tuning set from here)
frame('hurt', id='f-hurt-act-body', lang='en',
      frame='bit|bites|biting|punch*|kick*|slap*|smack*|whack*|thump*|(stamp* on)|burn*|burnt|scald*|twist*|squeez*|nipp*|pinch* @POSS arm|arms|leg|legs|face|head|back|hand|hands|neck|stomach|belly|tummy|ribs|ear|ears|nose|bum|bottom|wrist|wrists|fingers|cheek',
      unless='(i|we|me|you|u bit|bites|punch*|kick*|slap*|smack*|whack*|thump*|burn*|burnt|scald*|twist*|squeez*|nipp*|pinch*|hurt|banged|bumped @POSS)|dog|cat|puppy|kitten|horse|hamster|snake|spider|insect|mosquito|midge*|bee|wasp|ant|ball|accident*|(by mistake)|football|rugby|oven|pan|hob|stove|fire|candle|kettle|hot|sun|sunburn|playing|fell|tickl*|baby|toddler|(my little brother|sister)',
      match=['mummy bit my arm and it went purple','her dad twisted her wrist'],
      nomatch=['the dog bit my arm','i burnt my hand on the oven','nobody punched my face'],
      note='a violent act on a part of the child\'s body')
addunless(pat('hurt','hurt-hit-cy'), r"\b(?:chwarae|rygbi|pel|pêl|gêm|damwain|syrthio|cwympo|ddamweiniol)\b")
fo2=fr('food','f-food-only'); fo2['frame']=fo2['frame'].replace('only ~4 bread|water|scraps|leftovers|crumbs|crisps|biscuits','only|(nothing but)|(nowt but)|(nothing except) ~4 bread|water|scraps|leftovers|crumbs|crisps|biscuits|cereal|toast|noodles')
fo2['match'].append('they said they had eaten nothing but dry cereal all week')
frame('food', id='f-food-begging', lang='en',
      frame='ask*|asking|beg*|begging|knock*|knocking ~4 for food|(something to eat)|(anything to eat)|bread|(money for food)',
      unless='restaurant|menu|waiter|shop|cafe|takeaway|order*|party|(trick or treat)|halloween|charity|foodbank|(food bank)|collection|(for the dog)',
      match=['the little ones knock on her door asking for food most nights','he begs other kids for something to eat'],
      nomatch=['i asked for food at the restaurant','we knocked on doors for the food bank collection'],
      note='a child asking others for food')
for i, v in enumerate(C['NOTBACK']):
    C['NOTBACK'][i] = v.replace('see @POSS? @FAMILY? ~1 again', 'see @POSS? @FAMILY|friends|mates|school|england|home? ~1 again')
kw=fr('threatened','f-threat-know-where'); kw['frame']=kw['frame'].replace('where @OBJ|i|we|','where @OBJ|i|we|he|she|they|you|u|')
kw['match'].append('the gang keep messaging him saying they know where he lives')
sm['unless'] = sm['unless'].replace('|remote|telly|tv|xbox|ipad)', '|remote|telly|tv|xbox|ipad|car|scratch*|dent*)')
fr('threatened','f-threat-say-modal')['nomatch'].append('my dad said he would kill me if i scratched his car')
lo=fr('not_home','f-nh-left-outside'); lo['frame']=lo['frame'].replace('~4 overnight|(all night)|(the night)|night|hours|cold|rain|dark','~4 overnight|(all night)|(the night)|night|hours|cold|rain|dark|pyjamas|pjs|nightie|(no shoes)|(no coat)|(wouldnt open)|(wont open)')
lo['match'].append('mum shut me outside in my pyjamas and wouldnt open the door')
frame('not_home', id='f-nh-wont-open', lang='en',
      frame='wouldnt|wont|refused|refuses|refusing|didnt ~1 to? open|unlock|answer the door ~3 to? @OBJ|@VICTIM|(for @OBJ)|(when i|he|she)',
      unless='friend*|mates|neighbour*|postman|delivery|(trick or treat)|halloween|stranger*|police|salesman|(cold caller)',
      match=['mum wouldnt open the door to me','dad refused to unlock the door when i came home'],
      nomatch=['my friend wouldnt answer the door when i knocked'],
      note='the door kept shut on the child')
nw=fr('not_home','f-nh-not-welcome'); nw['frame']=nw['frame'].replace('not|never|arent|isnt|aint welcome','not|never|arent|isnt|aint|(no longer)|(not anymore) welcome')
nw['frame']=nw['frame'].replace('(at|in the|my|our house|home|flat)','(at|in the|my|our house|home|flat|address|property)')
nw['match'].append('his mother told him he was no longer welcome at the address')
hc=fr('hurt','f-hurt-cy-obj'); hc['unless'] = hc['unless'] + '|^chwarae|rygbi|^damwain|ddamweiniol|^syrthio|^cwympo'
hc['nomatch'].append('ces i fy mrifo yn chwarae rygbi ddoe')
json.dump(d, open(dst,'w'), ensure_ascii=False, indent=1); open(dst,'a').write('\n')
