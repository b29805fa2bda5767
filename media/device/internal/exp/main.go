package main

import (
	"fmt"

	"github.com/pion/mediadevices"
	_ "github.com/pion/mediadevices/pkg/driver/camera"
	_ "github.com/pion/mediadevices/pkg/driver/microphone"
	"github.com/gen2brain/malgo"
)

func main() {
	fmt.Println(mediadevices.EnumerateDevices())
	ctx, err := malgo.InitContext(nil, malgo.ContextConfig{}, nil)
	fmt.Println("ctx", err)
	if err == nil {
		d, err := ctx.Devices(malgo.Playback)
		fmt.Println(d, err)
	}
}
