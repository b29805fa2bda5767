package device

import "image"

// scaleI420 scales src to w×h (even) into dst, reusing dst's planes when
// they fit. Bilinear, fixed point: good enough for a downscale of at most
// 2:1, which is all the ladder asks.
func scaleI420(dst *image.YCbCr, src *image.YCbCr, w, h int) *image.YCbCr {
	if dst == nil || dst.Rect.Dx() != w || dst.Rect.Dy() != h {
		dst = image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	}
	sb := src.Rect
	scalePlane(dst.Y, dst.YStride, w, h, src.Y[src.YOffset(sb.Min.X, sb.Min.Y):], src.YStride, sb.Dx(), sb.Dy())
	cw, ch := (w+1)/2, (h+1)/2
	scw, sch := (sb.Dx()+1)/2, (sb.Dy()+1)/2
	co := src.COffset(sb.Min.X, sb.Min.Y)
	scalePlane(dst.Cb, dst.CStride, cw, ch, src.Cb[co:], src.CStride, scw, sch)
	scalePlane(dst.Cr, dst.CStride, cw, ch, src.Cr[co:], src.CStride, scw, sch)
	return dst
}

func scalePlane(dst []byte, dstride, dw, dh int, src []byte, sstride, sw, sh int) {
	if dw <= 0 || dh <= 0 || sw <= 0 || sh <= 0 {
		return
	}
	// 16.16 fixed point source coordinates of each destination sample's centre.
	xstep := (sw << 16) / dw
	ystep := (sh << 16) / dh
	for y := 0; y < dh; y++ {
		sy := max((y*ystep+ystep/2)-(1<<15), 0)
		y0 := min(sy>>16, sh-1)
		y1 := min(y0+1, sh-1)
		fy := sy & 0xffff
		r0 := src[y0*sstride:]
		r1 := src[y1*sstride:]
		out := dst[y*dstride : y*dstride+dw]
		for x := range out {
			sx := max((x*xstep+xstep/2)-(1<<15), 0)
			x0 := min(sx>>16, sw-1)
			x1 := min(x0+1, sw-1)
			fx := sx & 0xffff
			top := int(r0[x0])*(0x10000-fx) + int(r0[x1])*fx
			bot := int(r1[x0])*(0x10000-fx) + int(r1[x1])*fx
			out[x] = byte(((top>>16)*(0x10000-fy) + (bot>>16)*fy + 0x8000) >> 16)
		}
	}
}
