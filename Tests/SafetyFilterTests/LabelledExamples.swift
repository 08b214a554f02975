// Hand-labelled short lines for measuring the filter: `flag:` lines contain profanity or biased
// wording and must give at least one finding; `clean:` lines must give none. Written for this
// project; the hard cases on both sides are kept (including ones the filter gets wrong) so that
// the precision and recall printed by LabelledExampleTests are honest.
let labelledExamples = """
clean: Fresh sourdough every morning, still warm at 7.
clean: Our classic cocktail menu is back for the summer.
clean: Meet the assassin bug, a gardener's best friend.
clean: Reading Dickens by the fire this weekend?
clean: Book a session with a licensed therapist today.
clean: Handmade in Sussex since 1982.
clean: Shiitake and miso ramen, only on Fridays.
clean: Deep analysis of your ad spend in one dashboard.
clean: Cumulative savings grow every month you stay.
clean: The peacock blue collection has landed.
clean: Hancock Street pop-up opens Saturday.
clean: Arsenal fans, the kit restock is here.
clean: Visit us in Scunthorpe for the grand opening.
clean: Passion fruit sorbet, made in small batches.
clean: Book a massage and unwind.
clean: New bass guitars in store now.
clean: Pack a compass for the trail.
clean: Essex and Middlesex deliveries resume Monday.
clean: Take a look inside the cockpit at our air show.
clean: The hitchhiker's guide to our new app.
clean: Cucumber water on the house.
clean: Measure the circumference before you order.
clean: Document everything with our scanner app.
clean: Scrap metal pickup every Tuesday.
clean: Skyscraper views from every suite.
clean: Hello, weekend!
clean: Shell out less for more.
clean: Michelle's bakery turns ten.
clean: Spice up your dinner with our new rub.
clean: A title worth reading.
clean: Peanut butter cups are back.
clean: Button-down shirts for every occasion.
clean: Don't assume, ask our team.
clean: Cassandra joins the team as head chef.
clean: Pussy willow bouquets for spring.
clean: Our Maine Coon kitten calendar is out.
clean: Graduated magna cum laude and joined us the next day.
clean: Raccoon-proof bins for your backyard.
clean: Cocoon yourself in our softest blanket.
clean: Wrap it up: gift wrapping is free this week.
clean: Our rapper collab drops at midnight.
clean: Grape season is here.
clean: New drapes, new room.
clean: Art therapy classes for all ages.
clean: Scrapbook kits for the whole family.
clean: Homogenized whole milk from local farms.
clean: Knitting circle every Thursday.
clean: Mississippi mud pie, baked fresh.
clean: Pistachio gelato, finally.
clean: Kick off the season with 20% off.
clean: Killer deals all weekend.
clean: We're killing it this quarter, thank you!
clean: Call 455-1234 to book.
clean: $5 lattes until noon!
clean: Wow! Amazing!!!
clean: 50% off everything.
clean: Fuchsia is the color of the season.
clean: Fly to Fukuoka for less.
clean: Phuket getaways from $499.
clean: Shih tzu grooming, booked online.
clean: Coconut water, no sugar added.
clean: Spick and span in under an hour.
clean: Flame retardant fabric, tested and certified.
clean: Assess your fitness in five minutes.
clean: Protect your assets with our plans.
clean: Cumberland sausages on the grill.
clean: Bassist wanted for our summer concert series.
clean: Glasses for every face.
clean: Matsushita design award winner.
clean: Follow the hashtag for updates.
clean: Ashton's coffee bar opens at 7.
clean: Cockatoo toys for curious birds.
clean: Hit the gym, then hit the showers.
clean: This hit the spot.
clean: Think big, start small.
clean: Class is in session.
clean: Pass the salt, please.
clean: Grass-fed beef burgers.
clean: Swiss chocolate, Belgian waffles.
clean: Buy two, get one free.
clean: Sign up for the newsletter.
clean: Crafted with care in small batches.
clean: Your skin, your rules.
clean: Clean beauty that works.
clean: Camp under the stars this weekend.
clean: Run farther in our new trainers.
clean: A cozy corner for every reader.
clean: New arrivals, every Friday.
clean: Limited stock, order today.
clean: The wait is over.
clean: Free shipping on orders over $50.
clean: Gift cards available in store.
clean: Crazy about color? Shop the palette.
clean: A gold lame dress for the gala.
clean: Exotic fruit platters for your party.
clean: Roller blind to fit any window.
clean: Blueberry muffin tops, fresh daily.
clean: A hand-woven oriental rug, restored.
clean: Our kitchen is manned by two chefs.
clean: Woman-owned and proud.
clean: Man of the match gets a free meal.
clean: Manchester store now open.
clean: Human resources software for small teams.
clean: Elderflower cordial, lightly sparkling.
clean: The chairs are comfy.
clean: Salesforce integration is live.
clean: Everyone is welcome here.
clean: For every body and every budget.
clean: Healthy-looking skin starts with sleep.
clean: Our sales team is here to help.
clean: Thanks, everyone, for a great launch!
clean: Hey everyone, new drop at noon.
clean: Wild deals, this weekend only.
clean: A blocklist keeps spam out.
clean: Find your community at our meetups.
clean: Skin-renewing serum with vitamin C.
clean: Summer-ready styles for everyone.
clean: Person-hours saved with automation: 300.
clean: Staffed booths at every entrance.
clean: The basement sale starts now.
clean: Twitter thread: how we bake.
clean: A happy hour that lasts all night.
clean: Scrappy startups love our pricing.
clean: Penistone market, every Thursday.
clean: Dick's Sporting Goods partnership announced.
clean: Hell's Kitchen fans, this one's for you.
clean: Cock-a-doodle-doo, breakfast is served.
clean: Shitake mushrooms, grilled to order.
clean: Snigger-worthy puns in every card.
clean: Nice to meet you, Mr. Hancock.
clean: We cannot wait to see you.
clean: Snap it, share it, tag us.
clean: Ask about our wholesale prices.
clean: Bookmark this for later.
clean: Dessert first, always.
clean: Titanium frames, featherlight.
clean: Dickinson poetry night at the cafe.
clean: Sextet performance tonight at 8.
clean: The analyst report is in.
clean: A hole-in-one at our charity golf day.
clean: Pet the puppies at our adoption day.
clean: Spotify playlist for your workout.
clean: Nigel from accounting recommends the soup.
clean: Shoot us a DM for details.
clean: Kill two birds with one stone: gym plus spa.
clean: Drop dead gorgeous dresses for prom.
clean: Weed-free lawns in two weeks.
clean: Crack an egg, add the mix, bake.
clean: Our coke float is back.
clean: Sex Pistols tribute night.
clean: Butt lifts? No. Squats, yes.
clean: A nude lipstick for every shade.
clean: Bloody Mary brunch on Sundays.
clean: Bone broth, slow-simmered.
clean: Meth Lab escape room is sold out.
flag: This is fucking great.
flag: What the fuck is this price?
flag: Holy shit, free shipping!
flag: Don't be an asshole, share the deal.
flag: This bitch is back.
flag: You bastard, you took the last cookie.
flag: Damn, that's good coffee.
flag: Go to hell, old prices.
flag: Crap, we're sold out.
flag: Piss off, boring mornings.
flag: What a dick move.
flag: Total cock-up on our side, sorry.
flag: What a twat.
flag: Stop being a wanker.
flag: Sh1t happens, coffee helps.
flag: Sh!t just got real.
flag: $hit, that's cheap.
flag: You a$$hole.
flag: B1tch, please.
flag: F*ck Mondays.
flag: @sshole drivers, beware.
flag: Bullsh|t prices are over.
flag: fuuuuuck yes
flag: shiiiiit that's good
flag: f u c k this weather
flag: f.u.c.k the rules
flag: f_u_c_k it
flag: s-h-i-t happens
flag: b i t c h mode
flag: ｆｕｃｋ yeah
flag: 𝐬𝐡𝐢𝐭 show
flag: ѕhіt show
flag: fu​ck this
flag: fück it
flag: motherfucker of a deal
flag: clusterfuck of a launch
flag: This is bullshit.
flag: What a shitshow.
flag: Unfuckingbelievable prices.
flag: WTF is this deal?
flag: STFU and take my money.
flag: Those niggers again.
flag: Don't be a fag.
flag: Stop acting retarded.
flag: That's so gay, you spaz.
flag: Free porn inside.
flag: Horny yet? Try our hot sauce.
flag: Nice tits on that bird.
flag: Cum see our new store.
flag: Go kill yourself.
flag: kys loser
flag: He was raped by the market.
flag: Cocaine-level energy in every can.
flag: Crack cocaine prices? No, just our donuts.
flag: Meet our chairman, Bob.
flag: Ask our salesman for a quote.
flag: Thanks, you guys!
flag: Hey guys, big news.
flag: It took 300 man-hours.
flag: Our manpower is unmatched.
flag: The best man for the job.
flag: This crazy deal ends Friday.
flag: Insane prices all week.
flag: What a lame excuse.
flag: Don't be blind to the risks.
flag: That ad was tone-deaf.
flag: Our anti-aging serum works.
flag: Get your bikini body now.
flag: Flawless skin for every woman.
flag: Exotic women love our perfume.
flag: The seller gypped me.
flag: Add spam to the blacklist.
flag: Whitelist our domain.
flag: Find your spirit animal in our quiz.
flag: Find your tribe at our retreat.
flag: Ladies and gentlemen, the sale is on.
flag: Lose that muffin top by June.
flag: Say goodbye to love handles.
flag: Look years younger in a week.
flag: Handicapped parking is out back.
flag: Our policeman mascot is back.
flag: Ask any fireman.
flag: Mankind's greatest sandwich.
flag: Crippling debt? We can help.
flag: It fell on deaf ears.
flag: Off the reservation prices!
flag: Don't be an Indian giver.
flag: Gypsy style skirts are in.
flag: Oriental women model our line.
flag: Go crazy for our new flavors.
flag: phuck this
flag: fvck it
flag: a-hole drivers
flag: What the effing heck?
flag: azz kicking deals
flag: Sh*t, we forgot the sale.
flag: b!tch better have my coffee
flag: This is the sh1t
flag: f4g
flag: n1gg4
flag: k1ll yourself
"""
