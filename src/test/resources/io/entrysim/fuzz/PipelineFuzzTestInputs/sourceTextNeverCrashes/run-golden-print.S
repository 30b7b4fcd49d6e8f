/* entrysim golden case: .print writes its text as gas does, before the run's report. */
	.print "assembling: a\tb \101\8"
	.text
	movq	$1, %rax
	hlt
